/**
 * A province-sized ACD for the cluster tests: one 24×7 queue `general` (no overflow, no wrap-up
 * so agents come back at once, room for thousands) served by `agents` agents a0…aN, and the pool.
 */
import type { Registry } from '../../../src/config/schema.js';
import { cityRegistry, queue } from '../../support/registry-builder.js';

export function clusterCity(agents: number, general: Partial<ReturnType<typeof queue>> = {}): Registry {
  const r = cityRegistry();
  r.queues = {
    general: queue('12345 综合', '24x7', { maxWaitSeconds: 3600, maxLength: 100_000, wrapUpSeconds: 0, ringSeconds: 20, ...general }),
    pool: queue('7×24 兜底', '24x7', { maxLength: 100_000, wrapUpSeconds: 0 }),
  };
  r.hotline.queue = 'general';
  r.hotline.poolQueue = 'pool';
  r.lines = [];
  r.agents = Array.from({ length: agents }, (_, i) => ({
    id: `a${i}`, name: `坐席${i}`, dial: `user/${2000 + i}`, skills: {}, queues: ['general'],
  }));
  return r;
}

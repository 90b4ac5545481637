/**
 * An AcdService over the memory store and a manual clock, with a small city: `general` (office
 * hours, maxWait 120 s, overflow → `backup`), `backup` (7×24, maxWait 30 s, overflow → pool) and
 * the 7×24 `pool`. Agents g1, g2 serve general; b1 serves backup; p1 serves the pool.
 */
import { MemoryAcdStore } from '../../../src/adapters/store/memory/index.js';
import { AcdService } from '../../../src/app/acd/acd-service.js';
import type { AcdEvent } from '../../../src/app/acd/acd-model.js';
import type { EnqueueRequest, Enqueued, QueueNotice } from '../../../src/app/acd/call-acd-port.js';
import type { Registry } from '../../../src/config/schema.js';
import type { AcdStore } from '../../../src/core/acd/store-port.js';
import { ManualClock } from '../../support/manual-clock.js';
import { cityRegistry, queue, shanghai } from '../../support/registry-builder.js';

/** Tuesday 2026-03-03 10:00 Asia/Shanghai: an ordinary working day, office hours open. */
export const TUE_10 = shanghai('2026-03-03 10:00');

export function smallCity(): Registry {
  const r = cityRegistry();
  r.queues = {
    general: queue('12345 综合', 'office-hours', { overflow: 'backup', maxWaitSeconds: 120, maxLength: 3, wrapUpSeconds: 15, ringSeconds: 20 }),
    backup: queue('备援', '24x7', { overflow: 'pool', maxWaitSeconds: 30 }),
    pool: queue('7×24 兜底', '24x7', { maxLength: 500, wrapUpSeconds: 0 }),
  };
  r.hotline.queue = 'general';
  r.hotline.poolQueue = 'pool';
  r.lines = [];
  r.agents = [
    { id: 'g1', name: '张敏', dial: 'user/1001', skills: {}, queues: ['general'] },
    { id: 'g2', name: '李强', dial: 'user/1002', skills: {}, queues: ['general'] },
    { id: 'b1', name: '王芳', dial: 'user/1003', skills: {}, queues: ['backup'] },
    { id: 'p1', name: '赵磊', dial: 'user/1004', skills: {}, queues: ['pool'] },
  ];
  return r;
}

export interface Harness {
  readonly clock: ManualClock;
  readonly store: AcdStore;
  readonly acd: AcdService;
  readonly events: AcdEvent[];
  readonly errors: string[];
  notices(callId: string): QueueNotice[];
  call(callId: string, queueId?: string, extra?: Partial<EnqueueRequest>): Promise<Enqueued>;
  /** login + ready */
  readyAgent(agentId: string): Promise<void>;
}

export async function harness(opts: { start?: number; registry?: Registry; store?: AcdStore } = {}): Promise<Harness> {
  const clock = new ManualClock(opts.start ?? TUE_10);
  const store = opts.store ?? new MemoryAcdStore();
  const events: AcdEvent[] = [];
  const errors: string[] = [];
  const byCall = new Map<string, QueueNotice[]>();
  const acd = new AcdService({
    store, registry: opts.registry ?? smallCity(), clock, timers: clock,
    observer: { onAcdEvent: (e) => { events.push(e); } },
    log: { warn: () => undefined, error: (o, m) => errors.push(`${m} ${JSON.stringify(o)}`) },
  });
  await acd.start();
  const notices = (callId: string): QueueNotice[] => {
    let list = byCall.get(callId);
    if (list === undefined) byCall.set(callId, (list = []));
    return list;
  };
  return {
    clock, store, acd, events, errors, notices,
    call: (callId, queueId = 'general', extra = {}) =>
      acd.enqueue({ callId, queueId, priority: 0, line: '12345', ...extra }, (n) => notices(callId).push(n)),
    readyAgent: async (agentId) => {
      await acd.login(agentId);
      await acd.ready(agentId);
    },
  };
}

export function assigned(h: Harness, callId: string): string[] {
  return h.notices(callId).flatMap((n) => (n.kind === 'assigned' ? [n.agent.id] : []));
}

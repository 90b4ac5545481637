/**
 * What the metrics need from the registry: the lines (12345 first), the queues with their
 * service-level thresholds, and the time zone days and hours are counted in.
 */
import type { Registry } from '../../config/schema.js';

export type LineKind = 'hotline' | 'merged' | 'dual' | 'subcenter';

export interface MetricsScope {
  readonly timeZone: string;
  readonly lines: readonly { readonly number: string; readonly name: string; readonly mode: LineKind }[];
  readonly queues: readonly { readonly id: string; readonly name: string; readonly serviceLevelSeconds: number }[];
  /** the 7×24 pool's queue id (registry hotline.poolQueue) */
  readonly poolQueue?: string;
}

export function metricsScope(registry: Registry): MetricsScope {
  const h = registry.hotline;
  return {
    timeZone: h.timeZone,
    lines: [
      { number: h.number, name: `${h.region} 12345`, mode: 'hotline' },
      ...registry.lines.filter((l) => l.number !== h.number).map((l) => ({ number: l.number, name: l.name, mode: l.mode })),
    ],
    queues: Object.entries(registry.queues).map(([id, q]) => ({ id, name: q.name, serviceLevelSeconds: q.serviceLevelSeconds })),
    poolQueue: h.poolQueue,
  };
}

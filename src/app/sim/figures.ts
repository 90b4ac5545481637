/**
 * A simulated day's figures, computed from the call records by the live metrics' own code
 * (factsOf → DayAggregate), so "service level" or "answer rate" here means exactly what it
 * means on the wall board: per queue, per line and in total, for the day and for each hour
 * of arrival, plus agent occupancy per queue.
 */
import type { Registry } from '../../config/schema.js';
import type { CallRecord } from '../../core/call/index.js';
import { DayAggregate, factsOf, metricsScope, type KpiSet } from '../../core/metrics/index.js';
import { zoneOf } from '../../core/schedule/index.js';
import type { Occupancy } from './occupancy.js';

export interface Figures {
  readonly offered: number;
  readonly answered: number;
  /** hung up while waiting, after the short-abandon threshold */
  readonly abandoned: number;
  readonly shortAbandoned: number;
  readonly overflowed: number;
  /** answered within the threshold ÷ (offered − short abandoned); null when nothing offered */
  readonly serviceLevel: number | null;
  readonly answerRate: number | null;
  /** seconds, answered calls */
  readonly asa: number | null;
  readonly waitP50: number | null;
  readonly waitP90: number | null;
  /** queues only: busy ÷ logged in of the queue's agents */
  readonly occupancy?: number | null;
}

export interface FigureSet {
  readonly total: Figures;
  readonly queues: Readonly<Record<string, Figures>>;
  readonly lines: Readonly<Record<string, Figures>>;
}

export interface DayFigures {
  readonly day: FigureSet;
  /** by local hour of arrival, 0..23 */
  readonly hours: readonly FigureSet[];
}

function figuresOf(k: KpiSet, occupancy?: number | null): Figures {
  const c = k.counts;
  return {
    offered: c.offered, answered: c.answered, abandoned: c.abandoned, shortAbandoned: c.shortAbandoned, overflowed: c.overflowed,
    serviceLevel: k.serviceLevel.value, answerRate: k.answerRate.value,
    asa: k.wait.asa, waitP50: k.wait.p50, waitP90: k.wait.p90,
    ...(occupancy === undefined ? {} : { occupancy }),
  };
}

function setOf(agg: DayAggregate, occupancy: (queueId: string) => number | null): FigureSet {
  const k = agg.kpis();
  return {
    total: figuresOf(k.total),
    queues: Object.fromEntries(k.queues.map((q) => [q.queue, figuresOf(q, occupancy(q.queue))])),
    lines: Object.fromEntries(k.lines.map((l) => [l.line, figuresOf(l)])),
  };
}

export function dayFigures(registry: Registry, records: readonly CallRecord[], occupancy: Occupancy): DayFigures {
  const scope = metricsScope(registry);
  const zone = zoneOf(registry.hotline.timeZone);
  const day = new DayAggregate(scope, zone);
  const hours = Array.from({ length: 24 }, () => new DayAggregate(scope, zone));
  for (const r of records) {
    const f = factsOf(r);
    day.add(f);
    hours[day.hourOf(r.arrivedAt)]?.add(f);
  }
  const byHour = new Map(Object.keys(registry.queues).map((q) => [q, occupancy.byHour(q)]));
  return {
    day: setOf(day, (q) => occupancy.day(q)),
    hours: hours.map((agg, h) => setOf(agg, (q) => byHour.get(q)?.[h] ?? null)),
  };
}

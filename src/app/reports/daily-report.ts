/**
 * The daily report: a pure function of one local day's call records, so it can be recomputed
 * at any time from stored records and always agrees with what the board showed for that day.
 */
import type { CallRecord } from '../records/index.js';
import { DayAggregate, factsOf, type MetricsScope } from '../../core/metrics/index.js';
import { zoneOf } from '../../core/schedule/index.js';
import type { DailyReport } from '../metrics/stats-model.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** YYYY-MM-DD that is a real calendar date. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (m === null) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** null when no call arrived that day (no report, rather than a report of zeros). */
export function dailyReport(records: readonly CallRecord[], scope: MetricsScope, date: string, generatedAt: number): DailyReport | null {
  const zone = zoneOf(scope.timeZone);
  const day = new DayAggregate(scope, zone);
  for (const r of records) if (zone.local(r.arrivedAt).date === date) day.add(factsOf(r));
  if (day.size === 0) return null;
  const k = day.kpis();
  return {
    date, timeZone: scope.timeZone, generatedAt: new Date(generatedAt).toISOString(), records: day.size,
    total: k.total, lines: k.lines, queues: k.queues, hourly: k.hourly,
  };
}

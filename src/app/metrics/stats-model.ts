/**
 * The JSON contract of GET /api/stats, of each SSE `snapshot` message on GET /api/stream and of
 * the daily report (GET /api/reports/daily). The wall board builds against these types: changes
 * are additive only. Every word means what docs/metrics.md says it means; each rate carries its
 * formula, numerator and denominator so a number on the board can be checked by hand.
 */
import type { HourlyPoint, KpiSet } from '../../core/metrics/kpi-types.js';

export type { CallCounts, HourlyPoint, KpiSet, Rate, TransferCount, WaitStats } from '../../core/metrics/kpi-types.js';

export interface LineStats extends KpiSet {
  /** the dialed number (the 12345 number itself for hotline calls) */
  readonly line: string;
  readonly name: string;
  readonly mode: 'hotline' | 'merged' | 'dual' | 'subcenter';
  /** live: callers of this line waiting in any queue now */
  readonly waitingNow: number;
  /** live: seconds the line's longest-waiting caller has waited; null when none waits */
  readonly longestWaitSeconds: number | null;
  /** convenience copies of counts.abandoned / counts.overflowed */
  readonly abandoned: number;
  readonly overflowed: number;
  /** convenience copy of wait.asa */
  readonly asa: number | null;
}

export interface QueueStats extends KpiSet {
  readonly queue: string;
  readonly name: string;
  /** live */
  readonly open: boolean;
  readonly waitingNow: number;
  readonly longestWaitSeconds: number | null;
  /** live: agents serving this queue, by status */
  readonly agents: Readonly<Record<AgentStateName, number>>;
  readonly abandoned: number;
  readonly overflowed: number;
  readonly asa: number | null;
}

export type AgentStateName = 'logged-out' | 'ready' | 'reserved' | 'ringing' | 'on-call' | 'wrap-up' | 'not-ready';

export interface StatsSnapshot {
  /** ISO-8601 instant the snapshot was taken */
  readonly at: string;
  readonly timeZone: string;
  /** local date (YYYY-MM-DD) of "today" in timeZone */
  readonly date: string;
  /** the 12345 number first (mode `hotline`), then each registry line in registry order */
  readonly lines: readonly LineStats[];
  readonly queues: readonly QueueStats[];
  /** every registry agent counted once by status */
  readonly agents: { readonly byState: Readonly<Record<AgentStateName, number>>; readonly total: number };
  /** 24 points, hour 0..23 local; future hours have zero counts */
  readonly hourly: readonly HourlyPoint[];
  /** all lines together (line-level definitions) */
  readonly total: KpiSet;
}

/** SSE on GET /api/stream: `event: snapshot` with `data: StatsSnapshot`; `: heartbeat` comments every 15 s. */
export const SSE_SNAPSHOT_EVENT = 'snapshot';

/** GET /api/reports/daily?date=YYYY-MM-DD */
export interface DailyReport {
  /** local date reported */
  readonly date: string;
  readonly timeZone: string;
  /** ISO-8601 instant it was computed */
  readonly generatedAt: string;
  /** number of call records the report was computed from */
  readonly records: number;
  readonly total: KpiSet;
  readonly lines: readonly (KpiSet & { readonly line: string; readonly name: string; readonly mode: LineStats['mode'] })[];
  readonly queues: readonly (KpiSet & { readonly queue: string; readonly name: string })[];
  readonly hourly: readonly HourlyPoint[];
}

/** Stable error codes of the stats / report endpoints. */
export type StatsErrorCode = 'HOTLINE_ERR_REPORT_NOT_FOUND' | 'HOTLINE_ERR_BAD_DATE';

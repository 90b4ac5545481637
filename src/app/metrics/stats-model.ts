/**
 * The JSON contract of GET /api/stats, of each SSE `snapshot` message on GET /api/stream and of
 * the daily report (GET /api/reports/daily). The wall board builds against these types: changes
 * are additive only. Every word means what DESIGN §6 says it means; each rate carries its
 * formula, numerator and denominator so a number on the board can be checked by hand.
 */

/** A rate published with how it was computed. `value` is null when the denominator is 0. */
export interface Rate {
  /** numerator ÷ denominator, 0..1 (not a percentage); null when denominator is 0 */
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
  /** e.g. "answered ÷ (offered − short abandoned − overflowed out)" */
  readonly formula: string;
}

/** Wait-time figures in seconds; null when there is no answered call to measure. */
export interface WaitStats {
  /** mean wait of answered calls (ASA) */
  readonly asa: number | null;
  /** nearest-rank percentiles of answered calls' waits, at 1 s resolution */
  readonly p50: number | null;
  readonly p90: number | null;
}

/** Counts over an interval (today so far, an hour, a reported day). Outcomes are disjoint. */
export interface CallCounts {
  /** line: calls that reached the line (rejected excluded); queue: equals offered */
  readonly calls: number;
  /** line: offered to a human (entered a queue, or rung at the sub-center), once per call; queue: entered the queue */
  readonly offered: number;
  /** connected to a 12345 agent (line: plus sub-center answered) */
  readonly answered: number;
  /** line only (0 for queues): connected to a sub-center's seat */
  readonly subcenterAnswered: number;
  /** hung up while waiting, after the short-abandon threshold (short abandons NOT included) */
  readonly abandoned: number;
  /** hung up within shortAbandonSeconds of entering the queue */
  readonly shortAbandoned: number;
  /** line: calls that overflowed at least once; queue: left this queue for its overflow target */
  readonly overflowed: number;
  /** queue only: calls that skipped this queue without entering it (closed, no agents, full) */
  readonly skipped: number;
  /** line only: hung up before any queue (during the prompt) */
  readonly leftBeforeQueue: number;
  /** line only: handed back to the dialplan fallback (router draining / failing) */
  readonly released: number;
  /** answered within the service-level threshold */
  readonly answeredWithinThreshold: number;
}

export interface KpiSet {
  readonly counts: CallCounts;
  /** queue: answered ÷ (offered − short abandoned − overflowed out); line: answered ÷ (calls − short abandoned) */
  readonly answerRate: Rate;
  /** answered within T ÷ (offered − short abandoned) */
  readonly serviceLevel: Rate;
  /** the T of serviceLevel, seconds */
  readonly serviceLevelSeconds: number;
  /** from queue entry (sub-center calls: from arrival) */
  readonly wait: WaitStats;
  /** from call arrival, prompts included */
  readonly waitFromArrival: WaitStats;
  /** (satisfied + basically satisfied) ÷ survey answers; "no answer" excluded */
  readonly satisfactionRate: Rate;
  readonly survey: { readonly satisfied: number; readonly basicallySatisfied: number; readonly unsatisfied: number; readonly none: number };
  /** transfers made from calls in this interval, by target and outcome (empty until records carry them) */
  readonly transfers: readonly TransferCount[];
}

export interface TransferCount {
  readonly target: string;
  readonly outcome: string;
  readonly count: number;
}

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

export interface HourlyPoint {
  /** local hour 0..23 of the calls' arrival */
  readonly hour: number;
  readonly answerRate: Rate;
  /** mean wait of the hour's answered calls (ASA), seconds; null when none */
  readonly avgWaitSeconds: number | null;
  /** calls offered to a human in that hour (line-level, once per call) */
  readonly offered: number;
}

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

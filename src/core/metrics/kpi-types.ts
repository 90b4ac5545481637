/**
 * The shapes the metrics maths produce (docs/metrics.md). The HTTP JSON contract (app/metrics/
 * stats-model.ts) re-exports them: change them additively only.
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

export interface HourlyPoint {
  /** local hour 0..23 of the calls' arrival */
  readonly hour: number;
  readonly answerRate: Rate;
  /** mean wait of the hour's answered calls (ASA), seconds; null when none */
  readonly avgWaitSeconds: number | null;
  /** calls offered to a human in that hour (line-level, once per call) */
  readonly offered: number;
}

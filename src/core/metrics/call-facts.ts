/**
 * What the definitions need from one finished call, derived from its CallRecord alone — so live
 * figures and a report recomputed later from stored records always agree.
 *
 * Queue attribution. `hops` lists, in order, every queue the call skipped or left, then
 * `queue` is where it finally waited. A queue hop is one of:
 *  - skipped before entering it (routing found it closed, or the ACD refused entry: closed,
 *    no agents, full) — not offered there;
 *  - left after waiting in it (an overflow move: max wait, or a sweep when the queue closed or
 *    its last agent logged out) — offered there and overflowed out.
 * The record says which: `entered` on each queue hop (true: waited there and moved on).
 */
import type { CallOutcome, CallRecord, QueueHop, SurveyResult } from '../call/record.js';

export interface QueueMove {
  readonly from: string;
  /** the next queue on the call's path; `undefined` if it never reached one */
  readonly to: string | undefined;
  readonly reason: string;
}

export interface TransferFact {
  readonly target: string;
  readonly outcome: string;
}

export interface CallFacts {
  /** undefined: rejected as unknown — counted for no line */
  readonly line: string | undefined;
  readonly outcome: CallOutcome;
  readonly arrivedAt: number;
  /** queues the call entered, in order (the last is where it ended, if it was queued) */
  readonly entered: readonly string[];
  /** where it ended waiting / was answered; undefined if never queued */
  readonly finalQueue: string | undefined;
  readonly overflows: readonly QueueMove[];
  readonly skips: readonly QueueMove[];
  /** rung at a sub-center (answered there or not) */
  readonly subcenter: boolean;
  /** seconds from being offered to a human (queue entry; sub-center calls: arrival) to answer / hang-up */
  readonly wait: number | undefined;
  readonly waitFromArrival: number | undefined;
  readonly survey: SurveyResult | undefined;
  readonly transfers: readonly TransferFact[];
}

type QueueHopOf = Extract<QueueHop, { readonly queue: string }>;


/**
 * A call record as the metrics read it: `transfers` are the record's TransferLeg[] (issue 5), of
 * which only target and outcome count — typed loosely, so stored records from before transfers,
 * or written by another version, are read too.
 */
export type FactsInput = Omit<CallRecord, 'transfers'> & {
  readonly transfers?: readonly { readonly target: string; readonly outcome?: string | undefined }[];
};

/** Each leg's target and outcome; a leg whose outcome is not known counts nothing. */
function transfersOf(record: FactsInput): TransferFact[] {
  if (!Array.isArray(record.transfers)) return [];
  const out: TransferFact[] = [];
  for (const t of record.transfers as unknown[]) {
    if (typeof t !== 'object' || t === null) continue;
    const { target, outcome } = t as { target?: unknown; outcome?: unknown };
    if (typeof target === 'string' && typeof outcome === 'string') out.push({ target, outcome });
  }
  return out;
}

export function factsOf(record: FactsInput): CallFacts {
  const queueHops = record.hops.filter((h): h is QueueHopOf => 'queue' in h);
  const finalQueue = record.queuedAt === undefined ? undefined : record.queue;
  const entered: string[] = [];
  const overflows: QueueMove[] = [];
  const skips: QueueMove[] = [];
  queueHops.forEach((hop, i) => {
    const to = queueHops[i + 1]?.queue ?? finalQueue ?? (record.queue !== hop.queue ? record.queue : undefined);
    const move = { from: hop.queue, to, reason: hop.reason };
    if (hop.entered) {
      entered.push(hop.queue);
      overflows.push(move);
    } else {
      skips.push(move);
    }
  });
  if (finalQueue !== undefined) entered.push(finalQueue);
  const subcenter = record.outcome === 'subcenter-answered' || record.hops.some((h) => 'subcenter' in h);
  const wait = record.waitSeconds ?? (record.outcome === 'subcenter-answered' ? record.waitFromArrivalSeconds : undefined);
  return {
    line: record.outcome === 'rejected' ? undefined : record.line,
    outcome: record.outcome,
    arrivedAt: record.arrivedAt,
    entered,
    finalQueue,
    overflows,
    skips,
    subcenter,
    wait,
    waitFromArrival: record.waitFromArrivalSeconds,
    survey: record.survey,
    transfers: transfersOf(record),
  };
}

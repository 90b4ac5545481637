/**
 * The record of one call, built from the machine's state when the call is over. Metrics
 * (docs/metrics.md) are computed from these: keep every field the definitions need, typed.
 */
import type { ShedReason } from '../capacity/index.js';
import type { LineMode } from '../routing/index.js';
import type { TransferLeg } from '../transfer/index.js';
import type { CallState } from './types.js';

export type SurveyResult = 'satisfied' | 'basically-satisfied' | 'unsatisfied' | 'none';

export type CallOutcome =
  /** Connected to a 12345 agent. */
  | 'answered'
  /** Connected to a sub-center's seat. */
  | 'subcenter-answered'
  /** Hung up while waiting (queued, agent ringing, sub-center ringing). */
  | 'abandoned'
  /** Hung up within shortAbandonSeconds of entering the queue: excluded from the answer rate's base. */
  | 'short-abandoned'
  /** Hung up before reaching any queue (during the answer / prompt): never offered. */
  | 'left-before-queue'
  /** Refused by routing (unknown or emergency number), never answered. */
  | 'rejected'
  /**
   * Handed back to the FreeSWITCH dialplan (router draining, failing, or over capacity: `shed`):
   * its fallback reaches the 7×24 pool.
   */
  | 'released';

/** A queue or sub-center the call skipped or left for the next one, and why; in order. */
export type QueueHop =
  /** `entered`: the caller waited in this queue and was moved on (an overflow, offered there);
   * false: the queue was passed over without entering (closed, no agents, full at admission). */
  | { readonly queue: string; readonly reason: string; readonly entered: boolean }
  | { readonly subcenter: string; readonly reason: string };

export interface CallRecord {
  readonly callSid: string;
  readonly fsUuid: string;
  /** The caller's number in full (mask it on every output by role); undefined when withheld. */
  readonly caller?: string;
  /** The number as FreeSWITCH delivered it (destination_number), before normalisation. */
  readonly dialed?: string;
  /** Dialed line number (the 12345 number itself for hotline calls); undefined when rejected as unknown. */
  readonly line: string | undefined;
  readonly mode: LineMode | undefined;
  /** Where the call was finally waiting / answered. */
  readonly queue: string | undefined;
  /** Every queue and sub-center the call skipped or overflowed out of, in order. */
  readonly hops: readonly QueueHop[];
  readonly arrivedAt: number;
  readonly queuedAt: number | undefined;
  /** When a human (agent or sub-center seat) answered. */
  readonly answeredAt: number | undefined;
  readonly agentId: string | undefined;
  /** Agents rung for this call, in order (no-answers included). */
  readonly agentsTried: readonly string[];
  readonly endedAt: number;
  readonly outcome: CallOutcome;
  /** Queue entry → answer (answered) or → hang-up (abandoned); undefined if never queued. */
  readonly waitSeconds: number | undefined;
  /** Arrival → answer or hang-up, prompts included. */
  readonly waitFromArrivalSeconds: number | undefined;
  /** undefined: never offered (no conversation with an agent, or caller hung up first). */
  readonly survey: SurveyResult | undefined;
  readonly hangupCause: string | undefined;
  readonly rejected?: { readonly sipStatus: number; readonly reason: string };
  readonly error?: string;
  /** A `released` call the node shed unanswered, and which capacity mark it had reached. */
  readonly shed?: ShedReason;
  /** Three-party transfer legs, in order; absent when the call was never transferred. */
  readonly transfers?: readonly TransferLeg[];
  /** A synthetic call of demo mode (`hotline serve --demo`), not real traffic. */
  readonly demo?: boolean;
}

const seconds = (from: number | undefined, to: number | undefined): number | undefined =>
  from === undefined || to === undefined ? undefined : Math.max(0, to - from) / 1000;

export function buildRecord(s: CallState, outcome: CallOutcome, endedAt: number): CallRecord {
  const waitEnd = s.connectedAt ?? endedAt;
  return {
    callSid: s.callSid,
    fsUuid: s.fsUuid,
    ...(s.caller !== undefined ? { caller: s.caller } : {}),
    ...(s.dialed !== undefined ? { dialed: s.dialed } : {}),
    line: s.line?.number,
    mode: s.line?.mode,
    queue: s.queuedAt === undefined ? undefined : s.queueId,
    hops: s.hops,
    arrivedAt: s.arrivedAt,
    queuedAt: s.queuedAt,
    answeredAt: s.connectedAt,
    agentId: s.agentId,
    agentsTried: s.agentsTried,
    endedAt,
    outcome,
    waitSeconds: seconds(s.queuedAt, waitEnd),
    waitFromArrivalSeconds: outcome === 'rejected' ? undefined : seconds(s.arrivedAt, waitEnd),
    survey: s.survey,
    hangupCause: s.hangupCause,
    ...(s.rejected !== undefined ? { rejected: s.rejected } : {}),
    ...(s.error !== undefined ? { error: s.error } : {}),
    ...(s.shed !== undefined ? { shed: s.shed } : {}),
  };
}

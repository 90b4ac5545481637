/** Inputs and decisions of route(): the contract between routing, the call session and the CLI. */

/**
 * What the ACD knows at runtime. Optional: without it (CLI dry-run) routing is decided on the
 * registry and the clock alone.
 */
export interface LiveQueueView {
  agentsLoggedIn(queueId: string): number;
  length(queueId: string): number;
}

export interface CallRequest {
  /** Dialed number as delivered: "12345", "+8612345", "0086 12345", "sip:12345@host", "tel:+8612345". */
  readonly to: string;
  /** Caller number; carried for callers of route() (logging, future caller rules) — routing ignores it today. */
  readonly from?: string;
  readonly live?: LiveQueueView;
}

export type LineMode = 'hotline' | 'merged' | 'dual' | 'subcenter';

export interface LineRef {
  readonly number: string;
  readonly name: string;
  readonly mode: LineMode;
}

export type QueueOverflowReason = 'closed' | 'no-agents' | 'full';

/** One hop of overflow: a queue the call skipped, or a sub-center that was closed. */
export type OverflowHop =
  | { readonly queue: string; readonly reason: QueueOverflowReason }
  | { readonly subcenter: string; readonly reason: 'subcenter-closed' };

export interface QueueDecision {
  readonly kind: 'queue';
  readonly line: LineRef;
  readonly queue: string;
  readonly priority: number;
  /** Prompt ids to play, in order, before queueing. */
  readonly prompts: readonly string[];
  /** Present only when the call did not land in the line's own first choice. */
  readonly overflowedFrom?: readonly OverflowHop[];
  readonly explanation: readonly string[];
}

export interface SubcenterDecision {
  readonly kind: 'subcenter';
  readonly line: LineRef;
  readonly dial: string;
  readonly noAnswerSeconds: number;
  /** Where the call goes if the sub-center's seats do not answer in noAnswerSeconds. */
  readonly fallbackQueue: string;
  readonly priority: number;
  readonly prompts: readonly string[];
  readonly explanation: readonly string[];
}

export interface RejectDecision {
  readonly kind: 'reject';
  readonly sipStatus: number;
  readonly reason: string;
  readonly explanation: readonly string[];
}

export type RouteDecision = QueueDecision | SubcenterDecision | RejectDecision;

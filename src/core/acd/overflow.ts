/**
 * When a caller leaves a queue for its overflow target (docs/architecture.md, call path step 5). Two moments:
 *  - on arrival (`decideAdmission`): closed, no agent logged in, or the queue is full;
 *  - while waiting (`decideOverflow`): closed, no agent logged in, or waited maxWaitSeconds.
 * `full` only turns arrivals away: a caller already admitted is never pushed out by length.
 *
 * Boundary: a caller overflows when waited ≥ maxWaitSeconds, i.e. at enqueuedAt + max·1000 ms
 * exactly. "Waited 60 s" is true at the 60th second; a timer armed for that instant must act
 * then rather than leave the caller one more tick. One ms earlier the caller stays.
 *
 * A queue without `overflow` is the end of the line (the 7×24 pool): decisions are null there.
 * Reasons are checked in order closed → no-agents → full/max-wait, most structural first.
 */
import { compareEntries, waitedMs } from './queue-order.js';
import type { AcdQueue, QueueEntry } from './types.js';

export type OverflowReason = 'max-wait' | 'no-agents' | 'closed' | 'full';

export interface OverflowDecision {
  readonly to: string;
  readonly reason: OverflowReason;
}

/** A synchronous view the caller assembles (from the store and the schedule evaluator). */
export interface OverflowView {
  isOpen(queueId: string, now: number): boolean;
  /** agents logged in (any status but logged-out) who serve the queue */
  loggedIn(queueId: string): number;
  /** callers waiting in the queue right now */
  waiting(queueId: string): number;
}

type QueueRules = Pick<AcdQueue, 'id' | 'overflow' | 'maxWaitSeconds' | 'maxLength'>;

function structural(queue: QueueRules, now: number, view: OverflowView): OverflowDecision | null {
  if (queue.overflow === undefined) return null;
  if (!view.isOpen(queue.id, now)) return { to: queue.overflow, reason: 'closed' };
  if (view.loggedIn(queue.id) === 0) return { to: queue.overflow, reason: 'no-agents' };
  return null;
}

/** For a caller about to enter `queue`. */
export function decideAdmission(queue: QueueRules, now: number, view: OverflowView): OverflowDecision | null {
  const s = structural(queue, now, view);
  if (s !== null || queue.overflow === undefined) return s;
  return view.waiting(queue.id) >= queue.maxLength ? { to: queue.overflow, reason: 'full' } : null;
}

/** For a caller already waiting in `queue`. */
export function decideOverflow(
  queue: QueueRules, entry: Pick<QueueEntry, 'enqueuedAt'>, now: number, view: OverflowView,
): OverflowDecision | null {
  const s = structural(queue, now, view);
  if (s !== null || queue.overflow === undefined) return s;
  return isMaxWaitReached(queue, entry, now) ? { to: queue.overflow, reason: 'max-wait' } : null;
}

export function isMaxWaitReached(queue: Pick<AcdQueue, 'maxWaitSeconds'>, entry: Pick<QueueEntry, 'enqueuedAt'>, now: number): boolean {
  return waitedMs(entry, now) >= queue.maxWaitSeconds * 1000;
}

/** The instant a waiting caller reaches maxWaitSeconds: arm the timer for exactly this. */
export function maxWaitAt(queue: Pick<AcdQueue, 'maxWaitSeconds'>, entry: Pick<QueueEntry, 'enqueuedAt'>): number {
  return entry.enqueuedAt + queue.maxWaitSeconds * 1000;
}

export interface OverflowMove {
  readonly entry: QueueEntry;
  readonly decision: OverflowDecision;
}

/**
 * Every waiting caller that must leave `queue` now, in serving order, so that moving them one
 * by one lets the most senior reach the target's agents first.
 */
export function overflowSweep(
  queue: QueueRules, waiting: readonly QueueEntry[], now: number, view: OverflowView,
): OverflowMove[] {
  const moves: OverflowMove[] = [];
  for (const entry of waiting) {
    const decision = decideOverflow(queue, entry, now, view);
    if (decision !== null) moves.push({ entry, decision });
  }
  return moves.sort((a, b) => compareEntries(a.entry, b.entry));
}

/**
 * When `queue`'s schedule is closed at `now`: everyone waiting moves to its overflow, in
 * serving order. Null when open or when there is nowhere to go.
 */
export function callersToMoveOnClose(
  queue: QueueRules, waiting: readonly QueueEntry[], now: number, isOpen: OverflowView['isOpen'],
): { readonly to: string; readonly entries: QueueEntry[] } | null {
  if (queue.overflow === undefined || isOpen(queue.id, now)) return null;
  return { to: queue.overflow, entries: [...waiting].sort(compareEntries) };
}

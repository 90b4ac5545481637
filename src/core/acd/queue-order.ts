/**
 * The order callers are served in: priority (higher first), then seniority (earlier first
 * enqueue anywhere), then the store's tie-break sequence. The key is unique per entry, which
 * lets ordered structures find an entry by binary search on the key alone.
 */
import type { QueueEntry } from './types.js';

export type OrderKey = Pick<QueueEntry, 'priority' | 'seniority' | 'seq'>;

/** Negative when `a` is served before `b`. */
export function compareEntries(a: OrderKey, b: OrderKey): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.seniority !== b.seniority) return a.seniority - b.seniority;
  return a.seq - b.seq;
}

/**
 * The entry a caller gets in `toQueueId` when moved by overflow: same priority, seniority and
 * seq (it keeps its place against everyone who arrived after it), a fresh `enqueuedAt`
 * because the target queue's maxWaitSeconds counts from arrival there.
 */
export function overflowedEntry(entry: QueueEntry, toQueueId: string, now: number): QueueEntry {
  return { ...entry, queueId: toQueueId, enqueuedAt: now, overflowedFrom: entry.queueId };
}

/** Whole milliseconds the caller has waited in its current queue. */
export function waitedMs(entry: Pick<QueueEntry, 'enqueuedAt'>, now: number): number {
  return now - entry.enqueuedAt;
}

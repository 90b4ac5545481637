/**
 * One queue's waiting callers in serving order. A sorted array with a moving head:
 *  - arrivals are almost always the newest of their priority, so insertion is a binary search
 *    that lands at (or near) the end — an append;
 *  - taking the head advances an offset instead of shifting the array;
 *  - position is the index found by binary search on the (unique) order key.
 * Removing from the middle (abandon, overflow) is a splice: a memmove of at most the queue.
 */
import { compareEntries } from '../../../core/acd/queue-order.js';
import type { QueueEntry } from '../../../core/acd/types.js';

export class OrderedEntries {
  private items: QueueEntry[] = [];
  private head = 0;
  private readonly byCall = new Map<string, QueueEntry>();

  get size(): number {
    return this.items.length - this.head;
  }

  get(callId: string): QueueEntry | undefined {
    return this.byCall.get(callId);
  }

  peek(): QueueEntry | undefined {
    return this.items[this.head];
  }

  insert(entry: QueueEntry): void {
    const items = this.items;
    const last = items[items.length - 1];
    if (last === undefined || this.size === 0 || compareEntries(last, entry) < 0) {
      items.push(entry);
    } else {
      items.splice(this.lowerBound(entry), 0, entry);
    }
    this.byCall.set(entry.callId, entry);
  }

  shift(): QueueEntry | undefined {
    const entry = this.items[this.head];
    if (entry === undefined) return undefined;
    this.head += 1;
    this.byCall.delete(entry.callId);
    this.compact();
    return entry;
  }

  remove(callId: string): QueueEntry | undefined {
    const entry = this.byCall.get(callId);
    if (entry === undefined) return undefined;
    const i = this.lowerBound(entry);
    if (i === this.head) return this.shift();
    this.items.splice(i, 1);
    this.byCall.delete(callId);
    return entry;
  }

  /** 1-based serving position, or undefined when not waiting here. */
  position(callId: string): number | undefined {
    const entry = this.byCall.get(callId);
    return entry === undefined ? undefined : this.lowerBound(entry) - this.head + 1;
  }

  toArray(): QueueEntry[] {
    return this.items.slice(this.head);
  }

  /** First index in [head, end) whose entry is not served before `key`. */
  private lowerBound(key: QueueEntry): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const item = this.items[mid];
      if (item !== undefined && compareEntries(item, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drop the consumed prefix once it outweighs the live part, keeping shift amortised O(1). */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

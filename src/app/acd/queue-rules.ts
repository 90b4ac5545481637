/**
 * The registry's queues as the ACD service needs them: lookup, schedule state, and where a
 * caller lands when the queue it is headed for will not take it (following the overflow chain).
 */
import { isLoggedIn } from '../../core/acd/agent-state.js';
import { decideAdmission, decideOverflow, type OverflowDecision, type OverflowView } from '../../core/acd/overflow.js';
import type { AcdStore, AgentCounts } from '../../core/acd/store-port.js';
import { AGENT_STATUSES, type AcdQueue } from '../../core/acd/types.js';
import type { Registry } from '../../config/schema.js';
import { isOpen, nextChange, type Change } from '../../core/schedule/index.js';
import { queueLookup, type QueueLookup } from './dispatch.js';
import type { OverflowReason } from './call-acd-port.js';

export interface Landing {
  readonly queueId: string;
  readonly skipped: readonly { readonly queueId: string; readonly reason: OverflowReason }[];
}

export class QueueRules {
  private current: QueueLookup;
  /**
   * Queues a registry reload removed: their last definition, `overflow` pointing into the new
   * registry, so a call still in one (talking, or back after a no-answer) finds its wrap-up and
   * its way out. Such a queue counts as closed: whoever waits there moves on.
   */
  private readonly retired = new Map<string, AcdQueue>();

  constructor(private registry: Registry, private readonly store: AcdStore) {
    this.current = queueLookup(registry.queues);
  }

  /** The registry's queues only (a retired queue takes no new caller). */
  get lookup(): QueueLookup {
    return this.current;
  }

  /**
   * A reloaded registry: read by every decision from now on. A removed queue's callers go to its
   * old overflow when that queue still exists, else to the 7×24 pool. Returns the removed ids.
   */
  replace(next: Registry): string[] {
    const removed = Object.keys(this.registry.queues).filter((id) => next.queues[id] === undefined);
    for (const id of removed) {
      const old = this.queue(id);
      const overflow = old.overflow !== undefined && next.queues[old.overflow] !== undefined ? old.overflow : next.hotline.poolQueue;
      this.retired.set(id, { ...old, overflow });
    }
    for (const id of Object.keys(next.queues)) this.retired.delete(id);
    this.registry = next;
    this.current = queueLookup(next.queues);
    return removed;
  }

  ids(): string[] {
    return Object.keys(this.registry.queues);
  }

  isRetired(queueId: string): boolean {
    return this.current(queueId) === undefined && this.retired.has(queueId);
  }

  queue(queueId: string): AcdQueue {
    const q = this.current(queueId) ?? this.retired.get(queueId);
    if (q === undefined) throw new Error(`unknown queue "${queueId}"`);
    return q;
  }

  isOpen(queueId: string, now: number): boolean {
    if (this.isRetired(queueId)) return false;
    const schedule = this.registry.schedules[this.queue(queueId).schedule];
    // The loader rejects dangling schedule ids; open is the side that never strands a caller.
    if (schedule === undefined) return true;
    return isOpen(schedule, this.registry.calendars, this.registry.hotline.timeZone, now).open;
  }

  nextChange(queueId: string, now: number): Change | undefined {
    if (this.isRetired(queueId)) return undefined;
    const schedule = this.registry.schedules[this.queue(queueId).schedule];
    return schedule === undefined ? undefined : nextChange(schedule, this.registry.calendars, this.registry.hotline.timeZone, now);
  }

  async loggedIn(queueId: string): Promise<number> {
    return loggedInOf(await this.store.agentCounts(queueId));
  }

  /** The synchronous view the core's overflow rules read, filled from the store for one queue. */
  async view(queueId: string): Promise<OverflowView> {
    const loggedIn = await this.loggedIn(queueId);
    const waiting = await this.store.length(queueId);
    return new OneQueueView(this, queueId, loggedIn, waiting);
  }

  /**
   * Follow the overflow chain from `start` to the first queue that takes the caller.
   * `arrival`: a new caller — closed, no agents, or full pass it on. `move`: a caller already
   * admitted somewhere — only closed and no agents do (length never pushes an admitted caller on).
   * The 7×24 pool has no overflow and so always takes it.
   */
  async land(start: string, now: number, kind: 'arrival' | 'move'): Promise<Landing> {
    const skipped: { queueId: string; reason: OverflowReason }[] = [];
    const seen = new Set<string>();
    let queue = this.queue(start);
    for (;;) {
      seen.add(queue.id);
      const view = await this.view(queue.id);
      const decision: OverflowDecision | null = kind === 'arrival'
        ? decideAdmission(queue, now, view)
        : decideOverflow(queue, { enqueuedAt: now }, now, view);
      // A cycle is rejected by the loader; stopping is safer than circling if one slips through.
      if (decision === null || seen.has(decision.to)) return { queueId: queue.id, skipped };
      skipped.push({ queueId: queue.id, reason: decision.reason });
      queue = this.queue(decision.to);
    }
  }
}

function loggedInOf(counts: AgentCounts): number {
  let n = 0;
  for (const s of AGENT_STATUSES) if (isLoggedIn(s)) n += counts[s];
  return n;
}

/** One queue's figures read from the store (a class, not closures: one is made per arriving caller). */
class OneQueueView implements OverflowView {
  constructor(private readonly rules: QueueRules, private readonly queueId: string, private readonly agents: number, private readonly callers: number) {}

  isOpen(queueId: string, at: number): boolean {
    return this.rules.isOpen(queueId, at);
  }

  loggedIn(queueId: string): number {
    return queueId === this.queueId ? this.agents : 0;
  }

  waiting(queueId: string): number {
    return queueId === this.queueId ? this.callers : 0;
  }
}

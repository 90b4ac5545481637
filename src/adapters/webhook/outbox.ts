/**
 * The work-order outbox: `submit` returns at once (a call never waits for a department's
 * server); each order is POSTed, signed, and retried with capped exponential backoff and full
 * jitter on network errors, 5xx and 429 — never on other 4xx — for a bounded number of attempts.
 * In memory: orders still pending when the process stops are logged, not kept.
 */
import type { WorkOrder, WorkOrderSink } from '../../app/transfer/ports.js';
import type { Logger } from '../../lib/logger.js';
import { postSigned, type PostResult, type PostTarget } from './post.js';

export interface OutboxOptions extends PostTarget {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Beyond this many undelivered orders the oldest is dropped (and logged). */
  readonly maxPending?: number;
  readonly logger: Logger;
  readonly random?: () => number;
  /** Test seam: the POST itself. */
  readonly post?: (target: PostTarget, body: string) => Promise<PostResult>;
}

export interface OutboxStats {
  readonly pending: number;
  readonly delivered: number;
  readonly failed: number;
  readonly dropped: number;
}

interface Delivery {
  readonly order: WorkOrder;
  readonly body: string;
  attempts: number;
  cancelled: boolean;
}

export class WorkOrderOutbox implements WorkOrderSink {
  private readonly queue = new Set<Delivery>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private delivered = 0;
  private failed = 0;
  private dropped = 0;
  private readonly log: Logger;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly opts: OutboxOptions) {
    this.log = opts.logger.child({ component: 'work-orders' });
  }

  submit(order: WorkOrder): void {
    const d: Delivery = { order, body: JSON.stringify(order), attempts: 0, cancelled: false };
    this.queue.add(d);
    const max = this.opts.maxPending ?? 10_000;
    if (this.queue.size > max) {
      const oldest = this.queue.values().next().value;
      if (oldest !== undefined) {
        oldest.cancelled = true;
        this.queue.delete(oldest);
        this.dropped += 1;
        this.log.error({ callSid: oldest.order.callSid, legId: oldest.order.legId }, 'work order dropped: outbox full');
      }
    }
    this.attempt(d);
  }

  get stats(): OutboxStats {
    return { pending: this.queue.size, delivered: this.delivered, failed: this.failed, dropped: this.dropped };
  }

  /** For /health: degraded while orders wait, with the count. */
  health(): { state: 'ok' | 'degraded'; detail: string } {
    const s = this.stats;
    return { state: s.pending > 0 || s.failed > 0 ? 'degraded' : 'ok', detail: `${s.pending} pending, ${s.delivered} delivered, ${s.failed} failed` };
  }

  /** Resolves when nothing is in flight or waiting (tests, shutdown with a deadline). */
  async idle(): Promise<void> {
    while (this.queue.size > 0) await Promise.race([...this.inflight, new Promise((r) => setTimeout(r, 10))]);
  }

  /** Stops retrying; undelivered orders are logged. */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const d of this.queue) {
      d.cancelled = true;
      this.log.error({ callSid: d.order.callSid, legId: d.order.legId, attempts: d.attempts }, 'work order not delivered before shutdown');
    }
    this.queue.clear();
  }

  /** Delay before attempt n+1 (n ≥ 1): full jitter over a capped exponential. */
  delayMs(attempts: number, retryAfterMs?: number): number {
    const cap = this.opts.maxDelayMs ?? 60_000;
    const exp = Math.min(cap, (this.opts.baseDelayMs ?? 1000) * 2 ** (attempts - 1));
    const jittered = Math.round(exp * (this.opts.random ?? Math.random)());
    return retryAfterMs === undefined ? jittered : Math.min(cap, Math.max(jittered, retryAfterMs));
  }

  private attempt(d: Delivery): void {
    if (d.cancelled) return;
    d.attempts += 1;
    const p = (this.opts.post ?? postSigned)(this.opts, d.body).then((r) => this.settle(d, r), (err: unknown) => this.settle(d, { kind: 'retry', error: String(err) }));
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private settle(d: Delivery, r: PostResult): void {
    if (d.cancelled) return;
    const ctx = { callSid: d.order.callSid, legId: d.order.legId, attempt: d.attempts };
    if (r.kind === 'delivered') {
      this.finish(d);
      this.delivered += 1;
      this.log.info({ ...ctx, status: r.status }, 'work order delivered');
      return;
    }
    const max = this.opts.maxAttempts ?? 8;
    if (r.kind === 'rejected' || d.attempts >= max) {
      this.finish(d);
      this.failed += 1;
      this.log.error({ ...ctx, status: r.status, order: d.order }, r.kind === 'rejected' ? 'work order rejected by the receiver' : 'work order undeliverable: giving up');
      return;
    }
    const delay = this.delayMs(d.attempts, r.retryAfterMs);
    this.log.warn({ ...ctx, status: r.status, err: r.error, delayMs: delay }, 'work order delivery failed; will retry');
    const t = setTimeout(() => { this.timers.delete(t); this.attempt(d); }, delay);
    t.unref();
    this.timers.add(t);
  }

  private finish(d: Delivery): void {
    this.queue.delete(d);
  }
}

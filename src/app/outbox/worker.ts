/**
 * The durable outbox's delivery worker. Every router node runs one over the shared records
 * database; the database hands each due item to one node at a time (a lease, at most one item per
 * topic, lowest seq first), so a topic is delivered in order and no two nodes send the same id
 * while a lease holds. A POST is signed by the `post` port and carries the item's id as an
 * idempotency key: a node that dies after the receiver took an item but before it recorded the
 * success lets the lease expire and another node sends it again — the receiver sees the same key.
 *
 * Network errors, 5xx and 429 are retried (capped exponential backoff, full jitter, stored in the
 * database so a restart keeps the schedule); another 4xx, or too many attempts, makes it dead.
 */
import type { Clock } from '../../core/ports.js';
import type { Logger } from '../../lib/logger.js';
import type { OutboxRow, RecordsDb } from '../records/records-db.js';
import type { TimerHandle, Timers } from '../timers.js';
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './backoff.js';

/** Where a topic's items go (signing secret included). */
export interface DeliveryTarget {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs: number;
}

/** The outcome of one POST, classified for the retry policy (the webhook adapter's PostResult). */
export type DeliveryResult =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly status?: number; readonly error?: string; readonly retryAfterMs?: number }
  | { readonly kind: 'rejected'; readonly status: number };

export type DeliveryPost = (target: DeliveryTarget, body: string, headers: Readonly<Record<string, string>>) => Promise<DeliveryResult>;

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const TOPIC_HEADER = 'x-hotline-topic';
export const SEQ_HEADER = 'x-hotline-seq';

export type OutboxDb = Pick<RecordsDb, 'claimOutbox' | 'markDelivered' | 'markFailed' | 'outboxCounts'>;

export interface OutboxWorkerOptions {
  readonly db: OutboxDb;
  /** this router node's name (the lease holder) */
  readonly node: string;
  /** undefined: nobody to deliver this topic to (the item is dead, kept for replay) */
  readonly targetOf: (topic: string) => DeliveryTarget | undefined;
  readonly post: DeliveryPost;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: Logger;
  readonly retry?: RetryPolicy;
  /** how long a claimed item is this node's; longer than any POST can take */
  readonly leaseMs?: number;
  /** look for due items this often when idle (others' items, retries falling due) */
  readonly pollMs?: number;
  /** items claimed per pass (distinct topics) */
  readonly batch?: number;
  readonly random?: () => number;
  /** the longest POST timeout of any target, to check the lease covers it */
  readonly maxTimeoutMs?: number;
}

export interface OutboxTotals {
  readonly pending: number;
  readonly delivered: number;
  readonly dead: number;
}

/** What this process did since it started (Prometheus counters; per node). */
export interface WorkerCounters {
  delivered: number;
  retried: number;
  dead: number;
}

export class OutboxWorker {
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly retry: RetryPolicy;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batch: number;
  readonly counters: WorkerCounters = { delivered: 0, retried: 0, dead: 0 };
  private lastTotals: OutboxTotals | undefined;
  private lastFailure: string | undefined;

  constructor(private readonly opts: OutboxWorkerOptions) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.batch = opts.batch ?? 32;
    // A lease that ends while a POST may still be in flight lets a second node send the same item.
    const longest = opts.maxTimeoutMs ?? 0;
    if (this.leaseMs < 2 * longest) throw new Error(`outbox lease (${this.leaseMs} ms) must be at least twice the POST timeout (${longest} ms)`);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.run();
  }

  /** Something was enqueued: look now rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.run();
  }

  /** Stops claiming; resolves once the deliveries in flight are settled and recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.opts.timers.cancel(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** The database's totals as of the last pass (all nodes' items), undefined before the first. */
  get totals(): OutboxTotals | undefined {
    return this.lastTotals;
  }

  health(): { state: 'ok' | 'degraded'; detail: string } {
    const t = this.lastTotals;
    const counts = t === undefined ? 'counts not read yet' : `${t.pending} pending, ${t.delivered} delivered, ${t.dead} dead`;
    if (this.lastFailure !== undefined) return { state: 'degraded', detail: `${counts}; last attempt: ${this.lastFailure}` };
    return { state: t !== undefined && t.dead > 0 ? 'degraded' : 'ok', detail: counts };
  }

  private run(): void {
    if (this.stopped || this.running !== undefined) return;
    if (this.timer !== undefined) this.opts.timers.cancel(this.timer);
    this.timer = undefined;
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) this.run();
      else this.timer = this.opts.timers.at(this.opts.clock.now() + this.pollMs, () => { this.timer = undefined; this.run(); });
    });
  }

  /** Claims and delivers until nothing is due (each topic's next item may be due at once). */
  private async pass(): Promise<void> {
    let claimed: readonly OutboxRow[];
    do {
      this.again = false;
      try {
        claimed = await this.opts.db.claimOutbox(this.opts.node, this.opts.clock.now(), this.leaseMs, this.batch);
      } catch (err) {
        this.lastFailure = 'records database unreachable';
        this.opts.log.warn({ err }, 'outbox: cannot claim items; will retry');
        return;
      }
      await Promise.all(claimed.map((row) => this.deliver(row)));
    } while ((claimed.length > 0 || this.again) && !this.stopped);
    await this.readTotals();
  }

  private async readTotals(): Promise<void> {
    try {
      this.lastTotals = await this.opts.db.outboxCounts();
    } catch (err) {
      this.opts.log.warn({ err }, 'outbox: cannot read counts');
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const attempt = row.attempts + 1;
    const ctx = { id: row.id, topic: row.topic, seq: row.seq, attempt };
    const target = this.opts.targetOf(row.topic);
    if (target === undefined) {
      await this.record(ctx, () => this.opts.db.markFailed(row.id, 'no receiver configured for this topic', this.opts.clock.now(), true));
      this.counters.dead += 1;
      this.opts.log.error(ctx, 'outbox item dead: no receiver configured for its topic (kept for replay)');
      return;
    }
    const headers = { [IDEMPOTENCY_HEADER]: row.id, [TOPIC_HEADER]: row.topic, [SEQ_HEADER]: String(row.seq) };
    let result: DeliveryResult;
    try {
      result = await this.opts.post(target, row.body, headers);
    } catch (err) {
      result = { kind: 'retry', error: err instanceof Error ? err.message : 'post failed' };
    }
    const now = this.opts.clock.now();
    if (result.kind === 'delivered') {
      this.lastFailure = undefined;
      // Not recorded (database gone): the lease expires and the item goes again, same idempotency key.
      await this.record(ctx, () => this.opts.db.markDelivered(row.id, now));
      this.counters.delivered += 1;
      this.opts.log.info({ ...ctx, status: result.status }, 'outbox item delivered');
      return;
    }
    const error = result.kind === 'rejected' ? `HTTP ${result.status}` : describeRetry(result);
    this.lastFailure = error;
    const dead = result.kind === 'rejected' || attempt >= this.retry.maxAttempts;
    const delay = dead ? 0 : retryDelayMs(this.retry, attempt, this.opts.random ?? Math.random, result.kind === 'retry' ? result.retryAfterMs : undefined);
    await this.record(ctx, () => this.opts.db.markFailed(row.id, error, now + delay, dead));
    if (dead) {
      this.counters.dead += 1;
      this.opts.log.error({ ...ctx, error }, result.kind === 'rejected' ? 'outbox item rejected by the receiver: dead' : 'outbox item undeliverable: giving up (dead)');
    } else {
      this.counters.retried += 1;
      this.opts.log.warn({ ...ctx, error, delayMs: delay }, 'outbox delivery failed; will retry');
    }
  }

  private async record(ctx: object, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      this.opts.log.warn({ ...ctx, err }, 'outbox: cannot record a delivery outcome; the item goes again when its lease ends');
    }
  }
}

function describeRetry(r: { readonly status?: number; readonly error?: string }): string {
  if (r.status !== undefined) return `HTTP ${r.status}`;
  return r.error ?? 'network error';
}

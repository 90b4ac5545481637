/**
 * A bounded write-behind buffer in front of the records database: `add` never blocks and never
 * throws, so a call, an agent's click or an API request never waits on the database. Items are
 * written oldest first in batches; a failed batch is retried first (same items, same order) after
 * a backoff that doubles up to a ceiling, so a database that is away for a while gets one
 * attempt per `maxBackoffMs`, not a storm.
 *
 * Past `capacity` items not yet written, the oldest waiting item is dropped (and counted): memory
 * stays bounded whatever the outage, and the most recent items, which the live figures need, are
 * kept. A journal in front (RecordWriter) keeps dropped call records on disk for the next start.
 */
import type { Clock } from '../../core/ports.js';
import type { TimerHandle, Timers } from '../timers.js';

export interface BufferLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export interface RetryBufferDeps<T> {
  /** what the items are, for logs ('call records', 'agent events', 'audit entries') */
  readonly name: string;
  readonly write: (batch: readonly T[]) => Promise<void>;
  readonly clock: Clock;
  readonly timers: Timers;
  /** most items held (waiting + in flight); must exceed batchSize */
  readonly capacity: number;
  readonly batchSize: number;
  readonly firstBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly log?: BufferLog;
  /** after each batch the database accepted */
  readonly onWritten?: (batch: readonly T[]) => void;
  /** after items were dropped past the bound */
  readonly onDropped?: (items: readonly T[]) => void;
}

export interface BufferStats {
  readonly pending: number;
  readonly written: number;
  readonly dropped: number;
  readonly failures: number;
  /** consecutive failed attempts of the current batch (0 when the database answers) */
  readonly failing: number;
}

const DEFAULT_FIRST_BACKOFF_MS = 100;
const DEFAULT_MAX_BACKOFF_MS = 5_000;

export class RetryBuffer<T> {
  private waiting: T[] = [];
  private inFlight: readonly T[] = [];
  private writing = false;
  private retry: TimerHandle | undefined;
  private attempt = 0;
  private written = 0;
  private dropped = 0;
  private failures = 0;
  private readonly idle = new Set<() => void>();

  constructor(private readonly deps: RetryBufferDeps<T>) {
    if (deps.capacity <= deps.batchSize) throw new Error(`${deps.name}: capacity ${deps.capacity} must exceed the batch size ${deps.batchSize}`);
  }

  add(item: T): void {
    this.waiting.push(item);
    const over = this.waiting.length + this.inFlight.length - this.deps.capacity;
    if (over > 0) {
      const lost = this.waiting.splice(0, over);
      this.dropped += lost.length;
      this.deps.log?.error({ buffer: this.deps.name, dropped: lost.length, droppedTotal: this.dropped, capacity: this.deps.capacity },
        'records buffer full: oldest items dropped');
      this.deps.onDropped?.(lost);
    }
    this.pump();
  }

  get stats(): BufferStats {
    return {
      pending: this.waiting.length + this.inFlight.length, written: this.written, dropped: this.dropped,
      failures: this.failures, failing: this.attempt,
    };
  }

  /** Resolves once nothing is waiting or in flight. */
  drained(): Promise<void> {
    if (this.empty) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  /**
   * Shutdown: tries to write what is left until `deadline` (epoch ms), retrying at once rather
   * than after the backoff. Returns how many items were still unwritten.
   */
  async close(deadline: number): Promise<number> {
    if (this.retry !== undefined) {
      this.deps.timers.cancel(this.retry);
      this.retry = undefined;
      this.pump();
    }
    if (!this.empty) {
      let timer: TimerHandle | undefined;
      await Promise.race([
        this.drained(),
        new Promise<void>((resolve) => { timer = this.deps.timers.at(deadline, resolve); }),
      ]);
      if (timer !== undefined) this.deps.timers.cancel(timer);
    }
    if (this.retry !== undefined) this.deps.timers.cancel(this.retry);
    this.retry = undefined;
    return this.waiting.length + this.inFlight.length;
  }

  private get empty(): boolean {
    return this.waiting.length === 0 && this.inFlight.length === 0;
  }

  private pump(): void {
    if (this.writing || this.retry !== undefined || this.waiting.length === 0) return;
    void this.writeNext();
  }

  private async writeNext(): Promise<void> {
    this.writing = true;
    const batch = this.waiting.splice(0, this.deps.batchSize);
    this.inFlight = batch;
    try {
      await this.deps.write(batch);
      this.inFlight = [];
      this.written += batch.length;
      if (this.attempt > 0) this.deps.log?.info?.({ buffer: this.deps.name, attempts: this.attempt + 1 }, 'records database back: buffer flushing');
      this.attempt = 0;
      this.safely(() => this.deps.onWritten?.(batch));
    } catch (err) {
      // Back at the front: the same items are tried again before anything newer.
      this.inFlight = [];
      this.waiting.unshift(...batch);
      this.failures += 1;
      this.attempt += 1;
      const delay = Math.min(this.deps.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, (this.deps.firstBackoffMs ?? DEFAULT_FIRST_BACKOFF_MS) * 2 ** (this.attempt - 1));
      if (this.attempt === 1 || this.attempt % 10 === 0) {
        this.deps.log?.warn({ err, buffer: this.deps.name, pending: this.waiting.length, attempt: this.attempt, retryInMs: delay }, 'records database write failed; will retry');
      }
      this.retry = this.deps.timers.at(this.deps.clock.now() + delay, () => {
        this.retry = undefined;
        this.pump();
      });
    } finally {
      this.writing = false;
    }
    if (this.empty) {
      for (const resolve of [...this.idle]) resolve();
      this.idle.clear();
    }
    this.pump();
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.deps.log?.error({ err, buffer: this.deps.name }, 'records buffer listener failed');
    }
  }
}

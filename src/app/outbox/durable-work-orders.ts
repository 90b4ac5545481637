/**
 * Work orders into the durable outbox (topic `work-orders`). `submit` never waits for the
 * database — a transfer must not stall on it: orders are queued in memory and written in batches.
 * While the database is unreachable they wait here, bounded (beyond `maxBuffered` the oldest is
 * dropped and logged), and are written when it is back; only what is still in this buffer when
 * the process dies is lost. Once written, the order survives restarts and any node delivers it.
 */
import type { Clock } from '../../core/ports.js';
import type { Logger } from '../../lib/logger.js';
import type { OutboxItem, RecordsDb } from '../records/records-db.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { WorkOrder, WorkOrderSink } from '../transfer/ports.js';

export const WORK_ORDER_TOPIC = 'work-orders';

/** One order per transfer leg: the leg id makes a resubmitted order the same outbox item. */
export function workOrderItem(order: WorkOrder, createdAt: number): OutboxItem {
  return { id: `work-order:${order.callSid}:${order.legId}`, topic: WORK_ORDER_TOPIC, body: JSON.stringify(order), createdAt };
}

export interface DurableWorkOrderOptions {
  readonly db: Pick<RecordsDb, 'enqueueOutbox'>;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: Logger;
  /** told after orders are written (the worker delivers them at once) */
  readonly onStored?: () => void;
  readonly maxBuffered?: number;
  /** wait this long before writing again after the database failed */
  readonly retryMs?: number;
}

export class DurableWorkOrderSink implements WorkOrderSink {
  private buffer: OutboxItem[] = [];
  private writing: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private closed = false;
  private droppedCount = 0;
  /** the last write failed: wait retryMs before the next */
  private failing = false;
  private readonly maxBuffered: number;
  private readonly log: Logger;

  constructor(private readonly opts: DurableWorkOrderOptions) {
    this.maxBuffered = opts.maxBuffered ?? 10_000;
    this.log = opts.log.child({ component: 'work-orders' });
  }

  submit(order: WorkOrder): void {
    const item = workOrderItem(order, this.opts.clock.now());
    if (this.closed) {
      this.log.error({ order }, 'work order after shutdown: not stored');
      return;
    }
    this.buffer.push(item);
    if (this.buffer.length > this.maxBuffered) {
      const oldest = this.buffer.shift();
      this.droppedCount += 1;
      this.log.error({ id: oldest?.id, body: oldest?.body }, 'work order dropped: records database unreachable and buffer full');
    }
    this.flush();
  }

  /** Orders waiting for the database (not yet durable). */
  get buffered(): number {
    return this.buffer.length;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Writes what is buffered once more (for at most `graceMs`: a database gone away may never answer), then logs what is left. */
  async close(graceMs = 5_000): Promise<void> {
    if (this.timer !== undefined) this.opts.timers.cancel(this.timer);
    this.timer = undefined;
    let deadline: TimerHandle | undefined;
    const timeUp = new Promise<void>((resolve) => { deadline = this.opts.timers.at(this.opts.clock.now() + graceMs, resolve); });
    const lastWrite = (async () => {
      await this.writing;
      if (this.buffer.length > 0) await this.write();
    })();
    await Promise.race([lastWrite, timeUp]);
    if (deadline !== undefined) this.opts.timers.cancel(deadline);
    this.closed = true;
    for (const item of this.buffer) this.log.error({ id: item.id, body: item.body }, 'work order not stored before shutdown');
    this.buffer = [];
  }

  private flush(): void {
    if (this.writing !== undefined || this.timer !== undefined || this.buffer.length === 0) return;
    this.writing = this.write().finally(() => {
      this.writing = undefined;
      if (this.closed || this.buffer.length === 0) return;
      if (this.failing) {
        const retryMs = this.opts.retryMs ?? 1_000;
        this.timer = this.opts.timers.at(this.opts.clock.now() + retryMs, () => { this.timer = undefined; this.flush(); });
      } else {
        this.flush();
      }
    });
  }

  private async write(): Promise<void> {
    const batch = this.buffer.slice(0, 500);
    try {
      await this.opts.db.enqueueOutbox(batch);
    } catch (err) {
      if (!this.failing) this.log.warn({ err, buffered: this.buffer.length }, 'work orders wait in memory: records database unreachable');
      this.failing = true;
      return;
    }
    if (this.failing) this.log.info({ buffered: this.buffer.length }, 'records database reachable again: buffered work orders stored');
    this.failing = false;
    // Items are removed by identity: a drop during the write may have shifted the buffer.
    const written = new Set(batch);
    this.buffer = this.buffer.filter((i) => !written.has(i));
    this.opts.onStored?.();
  }
}

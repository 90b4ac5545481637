/**
 * Where finished calls' records go. Metrics and department feeds read them from here; the
 * in-memory sink keeps the most recent ones (bounded), a durable sink can replace it later.
 */
import type { CallRecord } from '../../core/call/index.js';
import { formatDay, zoneOf, type Zone } from '../../core/schedule/index.js';

export type { CallRecord, CallOutcome, QueueHop, SurveyResult } from '../../core/call/index.js';

export interface CallRecordSink {
  add(record: CallRecord): void;
}

const MS_PER_DAY = 86_400_000;

/** A ring buffer of the last `capacity` records, queryable by local day of arrival. */
export class MemoryCallRecordSink implements CallRecordSink {
  private readonly buffer: (CallRecord | undefined)[];
  private next = 0;
  private count = 0;
  private readonly zone: Zone;
  private readonly listeners = new Set<(record: CallRecord) => void>();

  constructor(capacity = 100_000, timeZone = 'Asia/Shanghai') {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`record capacity must be a positive integer: ${capacity}`);
    this.buffer = new Array<CallRecord | undefined>(capacity);
    this.zone = zoneOf(timeZone);
  }

  get size(): number {
    return this.count;
  }

  add(record: CallRecord): void {
    this.buffer[this.next] = record;
    this.next = (this.next + 1) % this.buffer.length;
    this.count = Math.min(this.count + 1, this.buffer.length);
    for (const l of this.listeners) l(record);
  }

  /** Called for every record added (live feeds); returns the unsubscribe function. */
  subscribe(listener: (record: CallRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Oldest first. */
  all(): CallRecord[] {
    const out: CallRecord[] = [];
    const start = (this.next - this.count + this.buffer.length) % this.buffer.length;
    for (let i = 0; i < this.count; i += 1) {
      const r = this.buffer[(start + i) % this.buffer.length];
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  /** Records of calls that arrived on a local date (YYYY-MM-DD in the hotline's time zone). */
  byDay(day: string): CallRecord[] {
    return this.all().filter((r) => this.dayOf(r.arrivedAt) === day);
  }

  find(callSid: string): CallRecord | undefined {
    return this.all().find((r) => r.callSid === callSid);
  }

  private dayOf(at: number): string {
    return formatDay(Math.floor(this.zone.localMs(at) / MS_PER_DAY));
  }
}

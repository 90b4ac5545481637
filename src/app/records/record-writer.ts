/**
 * Every finished call's record, on its way to the records database: through a RetryBuffer (so a
 * database that is away never blocks or fails a call) and, when a journal is given, first into a
 * local append-only file that is fsynced, so a record waiting for a remote database survives a
 * kill -9 and is written at the next start (inserts are idempotent on callSid: replaying a record
 * that did reach the database changes nothing).
 *
 * The journal is emptied only when nothing is waiting and nothing was dropped since it was last
 * emptied, and only every `clearEvery` records (one truncate + fsync per call would double the
 * disk work for nothing: a replay of records already stored is harmless).
 */
import type { CallRecord } from '../../core/call/index.js';
import type { Clock } from '../../core/ports.js';
import type { Timers } from '../timers.js';
import type { OutboxItem, RecordsDb, StoredCall } from './records-db.js';
import { RetryBuffer, type BufferLog, type BufferStats } from './retry-buffer.js';
import type { CallRecordSink } from './record-sink.js';

/** A local file of records not yet known to be in the database. */
export interface RecordJournal {
  /** Resolves once the records are on disk (fsynced). */
  append(calls: readonly StoredCall[]): Promise<void>;
  /** Everything appended since the last clear, oldest first. */
  load(): Promise<StoredCall[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface RecordWriterDeps {
  readonly db: Pick<RecordsDb, 'insertCalls'>;
  /** this router node's id, stored with each record */
  readonly node: string;
  /** the FreeSWITCH node (ESL host), when one */
  readonly switch?: string;
  readonly journal?: RecordJournal;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log?: BufferLog;
  readonly capacity?: number;
  readonly batchSize?: number;
  readonly clearEvery?: number;
  /** the department feed items of a record, stored in the record's transaction */
  readonly feed?: (record: CallRecord) => readonly OutboxItem[];
  /** after each batch the database accepted (poke the shared-figures tail) */
  readonly onStored?: (calls: readonly StoredCall[]) => void;
}

export const RECORD_BUFFER_CAPACITY = 20_000;
export const RECORD_BATCH_SIZE = 200;
const CLEAR_EVERY = 1_000;

export class RecordWriter implements CallRecordSink {
  private readonly buffer: RetryBuffer<StoredCall>;
  private appendedSinceClear = 0;
  private droppedSinceClear = 0;
  private clearing = false;

  constructor(private readonly deps: RecordWriterDeps) {
    this.buffer = new RetryBuffer<StoredCall>({
      name: 'call records', clock: deps.clock, timers: deps.timers,
      capacity: deps.capacity ?? RECORD_BUFFER_CAPACITY, batchSize: deps.batchSize ?? RECORD_BATCH_SIZE,
      write: (batch) => {
        const feed = deps.feed;
        return feed === undefined ? deps.db.insertCalls(batch) : deps.db.insertCalls(batch, batch.flatMap((c) => feed(c.record)));
      },
      ...(deps.log === undefined ? {} : { log: deps.log }),
      onWritten: (batch) => {
        deps.onStored?.(batch);
        this.maybeClearJournal();
      },
      onDropped: (lost) => {
        this.droppedSinceClear += lost.length;
        deps.log?.error({ callSids: lost.slice(0, 20).map((c) => c.record.callSid), journal: deps.journal !== undefined },
          deps.journal === undefined ? 'call records dropped: lost' : 'call records dropped from memory: kept in the journal for the next start');
      },
    });
  }

  add(record: CallRecord): void {
    const stored: StoredCall = { record, node: this.deps.node, ...(this.deps.switch === undefined ? {} : { switch: this.deps.switch }) };
    if (this.deps.journal !== undefined) {
      this.appendedSinceClear += 1;
      this.deps.journal.append([stored]).catch((err: unknown) => {
        this.deps.log?.error({ err, callSid: record.callSid }, 'call record journal append failed');
      });
    }
    this.buffer.add(stored);
  }

  /** At start: the journal's records (a previous run's, maybe not written) go to the database again. */
  async recover(): Promise<number> {
    if (this.deps.journal === undefined) return 0;
    const calls = await this.deps.journal.load();
    this.appendedSinceClear = calls.length;
    for (const c of calls) this.buffer.add(c);
    return calls.length;
  }

  get stats(): BufferStats {
    return this.buffer.stats;
  }

  drained(): Promise<void> {
    return this.buffer.drained();
  }

  /** Writes what is left until `deadline`; empties the journal when all of it is stored. Returns what was left. */
  async close(deadline: number): Promise<number> {
    const left = await this.buffer.close(deadline);
    if (left === 0 && this.droppedSinceClear === 0 && this.appendedSinceClear > 0) await this.deps.journal?.clear();
    await this.deps.journal?.close();
    return left;
  }

  private maybeClearJournal(): void {
    const j = this.deps.journal;
    if (j === undefined || this.clearing || this.droppedSinceClear > 0) return;
    if (this.appendedSinceClear < (this.deps.clearEvery ?? CLEAR_EVERY) || this.buffer.stats.pending > 0) return;
    this.clearing = true;
    // Synchronously with the check: a record added from here on is appended after the truncate (the journal serialises).
    this.appendedSinceClear = 0;
    j.clear().catch((err: unknown) => {
      this.deps.log?.error({ err }, 'call record journal clear failed');
    }).finally(() => {
      this.clearing = false;
    });
  }
}

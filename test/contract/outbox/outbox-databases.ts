/**
 * The records databases the outbox tests run on. `open()` starts a fresh one; `reopen()` is
 * another handle on the same data (a second router node, or the same node after a restart).
 */
import type { OutboxItem } from '../../../src/app/records/records-db.js';
import type { OutboxRecordsDb } from '../../../src/compose/outbox.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { MemoryOutboxDb } from '../../support/memory-outbox-db.js';

export interface OutboxDbHandle {
  readonly db: OutboxRecordsDb;
  /** What the record writer does: the record and its feed items in one write. */
  storeRecord(record: CallRecord, feed: readonly OutboxItem[]): Promise<void>;
  close(): Promise<void>;
}

export interface OutboxDbKind {
  readonly name: string;
  open(): Promise<OutboxDbHandle>;
  reopen(): Promise<OutboxDbHandle>;
}

function memoryKind(): OutboxDbKind {
  let current = new MemoryOutboxDb();
  const handle = (db: MemoryOutboxDb): OutboxDbHandle => ({
    db, storeRecord: (_record, feed) => db.enqueueOutbox(feed), close: () => Promise.resolve(),
  });
  return {
    name: 'the in-memory port model',
    open: () => { current = new MemoryOutboxDb(); return Promise.resolve(handle(current)); },
    reopen: () => Promise.resolve(handle(current)),
  };
}

export function outboxDatabases(): OutboxDbKind[] {
  return [memoryKind()];
}

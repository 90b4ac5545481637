/**
 * The records databases the outbox tests run on. `open()` starts a fresh one; `connect()` is
 * another handle on the same data — a second router node, or a node after its restart. For the
 * embedded file, handles share one connection (one process per file: two better-sqlite3
 * connections in one process block each other's event loop while a transaction is open) and the
 * file is closed and opened again once every handle is closed. On PostgreSQL each handle is its
 * own pool: two nodes for real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { openEmbedded, openPostgres } from '../../../src/adapters/records/index.js';
import type { OutboxItem, RecordsDb } from '../../../src/app/records/records-db.js';
import { createLogger } from '../../../src/lib/logger.js';
import type { OutboxRecordsDb } from '../../../src/compose/outbox.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { MemoryOutboxDb } from '../../support/memory-outbox-db.js';
import { createDatabase, POSTGRES_SKIP_MESSAGE } from '../../support/postgres-server.js';

export interface OutboxDbHandle {
  readonly db: OutboxRecordsDb;
  /** What the record writer does: the record and its feed items in one write. */
  storeRecord(record: CallRecord, feed: readonly OutboxItem[]): Promise<void>;
  close(): Promise<void>;
}

export interface OutboxDbKind {
  readonly name: string;
  open(): Promise<OutboxDbHandle>;
  connect(): Promise<OutboxDbHandle>;
}

function memoryKind(): OutboxDbKind {
  let current = new MemoryOutboxDb();
  const handle = (db: MemoryOutboxDb): OutboxDbHandle => ({
    db, storeRecord: (_record, feed) => db.enqueueOutbox(feed), close: () => Promise.resolve(),
  });
  return {
    name: 'the in-memory port model',
    open: () => { current = new MemoryOutboxDb(); return Promise.resolve(handle(current)); },
    connect: () => Promise.resolve(handle(current)),
  };
}

const quiet = createLogger({ level: 'silent' });

function embeddedKind(): OutboxDbKind {
  const root = mkdtempSync(join(tmpdir(), 'hotline-outbox-'));
  afterAll(() => { rmSync(root, { recursive: true, force: true }); });
  let n = 0;
  let file = '';
  let live: { db: RecordsDb; handles: number } | undefined;
  const connect = async (): Promise<OutboxDbHandle> => {
    live ??= { db: await openEmbedded(file, quiet), handles: 0 };
    const conn = live;
    conn.handles += 1;
    let closed = false;
    return {
      db: conn.db,
      // What the record writer does: insertCalls with the call's feed, one transaction.
      storeRecord: (record, feed) => conn.db.insertCalls([{ record, node: 'test-node' }], feed),
      async close() {
        if (closed) return;
        closed = true;
        conn.handles -= 1;
        if (conn.handles > 0) return;
        if (live === conn) live = undefined;
        await conn.db.close();
      },
    };
  };
  return {
    name: 'the embedded file',
    async open() {
      file = join(root, `records-${(n += 1)}.db`);
      live = undefined;
      return connect();
    },
    connect,
  };
}

/** The run's throwaway server, a database per test; every handle its own pool, as a router node has. */
function postgresKind(serverUrl: string): OutboxDbKind {
  let url = '';
  const connect = async (): Promise<OutboxDbHandle> => {
    const db = await openPostgres(url, quiet, 4);
    let closed = false;
    return {
      db,
      storeRecord: (record, feed) => db.insertCalls([{ record, node: 'test-node' }], feed),
      async close() { if (!closed) { closed = true; await db.close(); } },
    };
  };
  return {
    name: 'PostgreSQL',
    async open() { url = await createDatabase(serverUrl, 'outbox'); return connect(); },
    connect,
  };
}

export function outboxDatabases(): OutboxDbKind[] {
  const serverUrl = inject('postgresUrl');
  if (serverUrl === '') console.log(POSTGRES_SKIP_MESSAGE);
  return [memoryKind(), embeddedKind(), ...(serverUrl === '' ? [] : [postgresKind(serverUrl)])];
}

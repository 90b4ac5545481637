/**
 * The records contract on PostgreSQL: the run's throwaway server (global setup), a database of
 * its own per test. Plus what only a shared server shows: several nodes opening one fresh
 * database at once migrate it once.
 */
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import type { RecordsDb } from '../../../src/app/records/records-db.js';
import { openPostgres, openRecordsDb, SCHEMA_VERSION } from '../../../src/adapters/records/index.js';
import { createDatabase, POSTGRES_SKIP_MESSAGE } from '../../support/postgres-server.js';
import type { FreshDb } from './fixtures.js';
import { recordsContract } from './records-contract.js';

const logger = pino({ level: 'silent' });
const serverUrl = inject('postgresUrl');
if (serverUrl === '') console.log(POSTGRES_SKIP_MESSAGE);

async function sqlOn(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<FreshDb> {
  const url = await createDatabase(serverUrl, 'records');
  const handles: RecordsDb[] = [];
  const open = async (): Promise<RecordsDb> => {
    const db = await openPostgres(url, logger, 4);
    handles.push(db);
    return db;
  };
  const fresh: { db: RecordsDb } & Omit<FreshDb, 'db'> = {
    db: await open(),
    another: open,
    async reopen() {
      await fresh.db.close();
      handles.splice(handles.indexOf(fresh.db), 1);
      fresh.db = await open();
      return fresh.db;
    },
    openAgain: open,
    async stampVersion(version) {
      await sqlOn(url, 'insert into schema_version (version, applied_at) values ($1, $2)', [version, Date.now()]);
    },
    async dispose() {
      for (const h of handles.splice(0)) await h.close().catch(() => undefined);
    },
  };
  return fresh;
}

recordsContract({ name: 'postgres', available: serverUrl !== '', fresh: freshDatabase });

describe.skipIf(serverUrl === '')('postgres records database: shared by nodes', () => {
  it('three nodes opening one fresh database at once migrate it once', async () => {
    const url = await createDatabase(serverUrl, 'migrate');
    const nodes = await Promise.all([1, 2, 3].map(() => openPostgres(url, logger, 2)));
    try {
      for (const n of nodes) expect(await n.schemaVersion()).toBe(SCHEMA_VERSION);
      const versions = await sqlOn(url, 'select version from schema_version order by version');
      expect(versions.rows.map((r: { version: number }) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
      await nodes[0]?.insertCalls([]);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });

  it('openRecordsDb with a postgres:// DATABASE_URL opens PostgreSQL, whatever the file says', async () => {
    const url = await createDatabase(serverUrl, 'factory');
    const db = await openRecordsDb({ databaseUrl: url, file: '/nonexistent/dir/records.db', logger });
    try {
      expect(db.kind).toBe('postgres');
      expect(await db.schemaVersion()).toBe(SCHEMA_VERSION);
    } finally {
      await db.close();
    }
  });

  it('bigint columns come back as numbers', async () => {
    const f = await freshDatabase();
    try {
      await f.db.appendAgentEvents([{ id: 'e', agentId: 'a', at: 1_800_000_000_123, status: 'ready', node: 'n' }]);
      const [e] = await f.db.agentEvents(1_800_000_000_000, 1_900_000_000_000);
      expect(e?.at).toBe(1_800_000_000_123);
    } finally {
      await f.dispose();
    }
  });
});

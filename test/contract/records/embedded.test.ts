/**
 * The records contract on the embedded database: a real file in a temp dir. Plus what only a
 * file can show: close + reopen keeps everything, and a process SIGKILLed right after
 * insertCalls resolved loses none of what it had been told was stored.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecordsDb } from '../../../src/app/records/records-db.js';
import { openEmbedded, openRecordsDb } from '../../../src/adapters/records/index.js';
import { calls, type FreshDb, type RecordsTarget } from './fixtures.js';
import { recordsContract } from './records-contract.js';

const logger = pino({ level: 'silent' });
const root = mkdtempSync(join(tmpdir(), 'hotline-records-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function freshFile(file: string): Promise<FreshDb> {
  const handles: RecordsDb[] = [];
  const open = async (): Promise<RecordsDb> => {
    const db = await openEmbedded(file, logger);
    handles.push(db);
    return db;
  };
  const first = await open();
  const fresh: { db: RecordsDb } & Omit<FreshDb, 'db'> = {
    db: first,
    // One node per file: a second handle would be another process; the same one stands for it.
    another: () => Promise.resolve(fresh.db),
    async reopen() {
      await fresh.db.close();
      handles.splice(handles.indexOf(fresh.db), 1);
      fresh.db = await open();
      return fresh.db;
    },
    openAgain: open,
    stampVersion(version) {
      const raw = new Database(file);
      raw.prepare('insert into schema_version (version, applied_at) values (?, ?)').run(version, Date.now());
      raw.close();
      return Promise.resolve();
    },
    async dispose() {
      for (const h of handles.splice(0)) await h.close().catch(() => undefined);
    },
  };
  return fresh;
}

const target: RecordsTarget = {
  name: 'embedded',
  available: true,
  fresh: () => freshFile(join(root, `t${++n}`, 'records.db')),
};

recordsContract(target);

describe('embedded records database: the file', () => {
  it('openRecordsDb without DATABASE_URL opens the embedded file; a URL that is not postgres:// is refused', async () => {
    const file = join(root, `factory${++n}`, 'records.db');
    const db = await openRecordsDb({ file, logger, databaseUrl: '' });
    expect(db.kind).toBe('embedded');
    await db.insertCalls(calls(1, 1));
    await db.close();
    expect(existsSync(file)).toBe(true);
    await expect(openRecordsDb({ databaseUrl: 'mysql://db/hotline', file, logger })).rejects.toThrow(/postgres:\/\//);
  });

  it('creates the directory of a file that does not exist yet', async () => {
    const f = await target.fresh();
    await f.db.insertCalls([]);
    expect(await f.db.schemaVersion()).toBeGreaterThan(0);
    await f.dispose();
  });

  it('a schema-1 file is upgraded in place: its calls read back unflagged, new calls keep shed and demo', async () => {
    const file = join(root, `upgrade${++n}`, 'records.db');
    const first = await openEmbedded(file, logger);
    await first.insertCalls(calls(1, 2));
    await first.close();
    // back to what a schema-1 build left on disk
    const raw = new Database(file);
    raw.exec('alter table call_records drop column shed; alter table call_records drop column demo; delete from schema_version where version > 1');
    raw.close();
    const db = await openEmbedded(file, logger);
    expect(await db.schemaVersion()).toBe(2);
    const old = await db.findCall('call-1');
    expect(old?.record).not.toHaveProperty('shed');
    expect(old?.record).not.toHaveProperty('demo');
    const [flagged] = calls(3, 1, () => ({ outcome: 'released', shed: 'calls-per-second', demo: true }));
    await db.insertCalls(flagged === undefined ? [] : [flagged]);
    expect((await db.findCall('call-3'))?.record).toMatchObject({ shed: 'calls-per-second', demo: true });
    await db.close();
  });

  it('a writer SIGKILLed right after insertCalls resolved loses nothing it was told was stored', async () => {
    const file = join(root, `kill${++n}`, 'records.db');
    const child = fork(fileURLToPath(new URL('./embedded-writer-child.ts', import.meta.url)), [file], {
      execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const acked = await new Promise<number>((resolve, reject) => {
      child.on('message', (m: { stored: number }) => {
        // kill the instant the child reports a batch stored, mid-stream of further writes
        if (m.stored >= 2_000) {
          child.kill('SIGKILL');
          resolve(m.stored);
        }
      });
      child.once('exit', (code, signal) => { if (signal !== 'SIGKILL') reject(new Error(`writer exited ${code}`)); });
    });
    await new Promise((r) => child.once('exit', r));
    const f = await freshFile(file);
    const rows = await f.db.callsAfter(0, 1_000_000);
    expect(rows.length).toBeGreaterThanOrEqual(acked);
    expect(rows.slice(0, acked).map((r) => r.record.callSid)).toEqual(Array.from({ length: acked }, (_, i) => `call-${i + 1}`));
    await f.dispose();
  }, 60_000);
});

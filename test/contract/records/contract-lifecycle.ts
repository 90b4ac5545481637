/** Schema versions, reopening, and concurrent writers (the callsAfter tail). */
import { beforeEach, describe, expect, it } from 'vitest';
import { SchemaTooNewError, type CallRow, type RecordsDb } from '../../../src/app/records/records-db.js';
import { SCHEMA_VERSION } from '../../../src/adapters/records/index.js';
import { agentEvent, auditEntry, calls, item, type RecordsTarget, useFreshDb } from './fixtures.js';

export function lifecycleContract(target: RecordsTarget): void {
  describe('lifecycle', () => {
    const fresh = useFreshDb(target);
    let db: RecordsDb;
    beforeEach(() => { db = fresh().db; });

    it('is at this build\'s schema version, and reopening migrates nothing and keeps everything', async () => {
      expect(await db.schemaVersion()).toBe(SCHEMA_VERSION);
      await db.insertCalls(calls(1, 3), [item('f1', 'dept:x')]);
      await db.appendAgentEvents([agentEvent('e1', 'a1', 1, 'ready')]);
      await db.appendAudit([auditEntry(1, 5)]);
      await db.putReport('2026-12-01', { n: 1 });
      db = await fresh().reopen();
      expect(await db.schemaVersion()).toBe(SCHEMA_VERSION);
      expect((await db.callsAfter(0, 10)).map((r) => r.seq)).toEqual([1, 2, 3]);
      expect((await db.outboxAfter('dept:x', 0, 10)).map((r) => r.id)).toEqual(['f1']);
      expect((await db.agentEvents(0, 10)).map((e) => e.id)).toEqual(['e1']);
      expect((await db.queryAudit(0, 10, 10)).rows.map((e) => e.id)).toEqual(['audit-001']);
      expect(await db.getReport('2026-12-01')).toEqual({ n: 1 });
      await db.insertCalls(calls(4, 1));
      expect((await db.findCall('call-4'))?.seq).toBe(4);
    });

    it('refuses a database a newer build has migrated', async () => {
      await fresh().stampVersion(SCHEMA_VERSION + 1);
      const err = await fresh().openAgain().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(SchemaTooNewError);
      expect(err).toMatchObject({ found: SCHEMA_VERSION + 1, known: SCHEMA_VERSION, code: 'HOTLINE_ERR_SCHEMA_TOO_NEW' });
    });

    it('a follower of callsAfter sees every call exactly once, in seq order, while writers insert concurrently', async () => {
      const writers = [db, await fresh().another(), db, await fresh().another()];
      const followed: CallRow[] = [];
      let writing = true;
      const follow = async (): Promise<void> => {
        let after = 0;
        for (;;) {
          const stillWriting = writing;
          const rows = await db.callsAfter(after, 37);
          followed.push(...rows);
          after = rows[rows.length - 1]?.seq ?? after;
          if (rows.length === 0 && !stillWriting) return;
        }
      };
      const follower = follow();
      await Promise.all(writers.map(async (w, k) => {
        for (let b = 0; b < 15; b++) {
          const first = 1 + k * 10_000 + b * 20;
          await w.insertCalls(calls(first, 1 + (b % 20)));
        }
      }));
      writing = false;
      await follower;
      const total = (await db.callsAfter(0, 100_000)).length;
      expect(followed).toHaveLength(total);
      expect(followed.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    });
  });
}

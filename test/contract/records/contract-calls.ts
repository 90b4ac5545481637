/** Call records: round trip, idempotence, the callsAfter tail, arrivals, search filters and paging. */
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidCursorError, type CallRow, type RecordsDb } from '../../../src/app/records/records-db.js';
import { calls, item, record, stored, T0, type RecordsTarget, useFreshDb } from './fixtures.js';

export function callsContract(target: RecordsTarget): void {
  describe('call records', () => {
    const fresh = useFreshDb(target);
    let db: RecordsDb;
    beforeEach(() => { db = fresh().db; });

    it('stores a record with every field and reads it back as it was', async () => {
      const full = record(1, {
        hops: [{ queue: 'q1', reason: 'overflow', entered: true }, { subcenter: 'water', reason: 'closed' }],
        agentsTried: ['a9', 'a1'],
        rejected: { sipStatus: 486, reason: 'busy' },
        error: 'esl: lost',
        shed: 'freeswitch-sessions',
        demo: true,
        transfers: [{
          legId: 'l1', target: 'water', kind: 'subcenter', number: '88001', agentId: undefined, startedAt: T0 + 1,
          answeredAt: T0 + 2, threeWayAt: undefined, completedAt: undefined, endedAt: T0 + 3, outcome: undefined, cause: undefined,
        }],
      });
      const sparse = record(2, {
        caller: undefined, dialed: undefined, line: undefined, mode: undefined, queue: undefined, queuedAt: undefined,
        answeredAt: undefined, agentId: undefined, agentsTried: [], outcome: 'rejected', waitSeconds: undefined,
        waitFromArrivalSeconds: undefined, survey: undefined, hangupCause: undefined,
      });
      await db.insertCalls([stored(full, 'node-a', 'fs1'), stored(sparse, 'node-b')]);
      const a = await db.findCall('call-1');
      expect(a).toEqual({ seq: 1, record: full, node: 'node-a', switch: 'fs1' });
      const b = await db.findCall('call-2');
      expect(b).toEqual({ seq: 2, record: sparse, node: 'node-b' });
      expect(b?.record).not.toHaveProperty('caller');
      expect(b).not.toHaveProperty('switch');
      expect(await db.findCall('nope')).toBeNull();
    });

    it('ignores a call stored twice, in one batch or across batches; seq stays gap-free', async () => {
      await db.insertCalls([...calls(1, 3), ...calls(2, 1)]);
      await db.insertCalls([...calls(3, 3)]);
      await db.insertCalls(calls(1, 1, () => ({ outcome: 'abandoned' })));
      const rows = await db.callsAfter(0, 100);
      expect(rows.map((r) => [r.seq, r.record.callSid])).toEqual([[1, 'call-1'], [2, 'call-2'], [3, 'call-3'], [4, 'call-4'], [5, 'call-5']]);
      expect(rows[0]?.record.outcome).toBe('answered');
    });

    it('callsAfter: the tail after a seq, oldest first, at most limit', async () => {
      await db.insertCalls(calls(1, 5));
      await db.insertCalls(calls(6, 5));
      expect((await db.callsAfter(3, 4)).map((r) => r.seq)).toEqual([4, 5, 6, 7]);
      expect((await db.callsAfter(10, 4))).toEqual([]);
      expect((await db.callsAfter(0, 100)).map((r) => r.record.callSid)).toEqual(calls(1, 10).map((c) => c.record.callSid));
    });

    it('callsArrivedBetween: [from, to) by arrival, whatever the insertion order', async () => {
      await db.insertCalls([...calls(5, 5)].reverse());
      await db.insertCalls(calls(1, 4));
      const got = await db.callsArrivedBetween(record(2).arrivedAt, record(7).arrivedAt);
      expect(got.map((r) => r.callSid)).toEqual(['call-2', 'call-3', 'call-4', 'call-5', 'call-6']);
    });

    it('stores department feed items with the calls, and neither when the transaction fails', async () => {
      await db.insertCalls(calls(1, 2), [item('f1', 'dept:water'), item('f2', 'dept:water')]);
      expect((await db.outboxAfter('dept:water', 0, 10)).map((r) => [r.id, r.seq])).toEqual([['f1', 1], ['f2', 2]]);
      // a feed item the database refuses (no body) takes the calls of its transaction with it
      const bad = { ...item('f3', 'dept:water'), body: null as unknown as string };
      await expect(db.insertCalls(calls(3, 2), [bad])).rejects.toThrow();
      expect(await db.findCall('call-3')).toBeNull();
      await db.insertCalls(calls(3, 1));
      expect((await db.findCall('call-3'))?.seq).toBe(3);
    });

    describe('queryCalls', () => {
      beforeEach(async () => {
        await db.insertCalls(calls(1, 12, (i) => ({
          line: i % 3 === 0 ? '12345' : i % 3 === 1 ? '12315' : '12319',
          queue: i % 2 === 0 ? 'general' : 'complaints',
          agentId: i <= 6 ? 'a1' : 'a2',
          outcome: i % 4 === 0 ? 'abandoned' : 'answered',
          caller: i === 7 ? '13912345678' : `1380000${i}`,
        })));
      });
      const sids = (rows: readonly CallRow[]): number[] => rows.map((r) => Number(r.record.callSid.slice(5)));

      it('filters on each field, newest first', async () => {
        expect(sids((await db.queryCalls({}, 100)).rows)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        expect(sids((await db.queryCalls({ from: record(3).arrivedAt, to: record(6).arrivedAt }, 100)).rows)).toEqual([5, 4, 3]);
        expect(sids((await db.queryCalls({ lines: ['12345', '12319'] }, 100)).rows)).toEqual([12, 11, 9, 8, 6, 5, 3, 2]);
        expect((await db.queryCalls({ lines: [] }, 100)).rows).toEqual([]);
        expect(sids((await db.queryCalls({ queue: 'complaints' }, 100)).rows)).toEqual([11, 9, 7, 5, 3, 1]);
        expect(sids((await db.queryCalls({ agentId: 'a2' }, 100)).rows)).toEqual([12, 11, 10, 9, 8, 7]);
        expect(sids((await db.queryCalls({ outcome: 'abandoned' }, 100)).rows)).toEqual([12, 8, 4]);
        expect(sids((await db.queryCalls({ caller: '13912345678' }, 100)).rows)).toEqual([7]);
        expect(sids((await db.queryCalls({ agentId: 'a1', queue: 'general', outcome: 'answered' }, 100)).rows)).toEqual([6, 2]);
      });

      it('pages with an opaque cursor until next is null', async () => {
        const seen: number[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await db.queryCalls({ agentId: 'a1' }, 4, cursor);
          seen.push(...sids(page.rows));
          cursor = page.next ?? undefined;
          pages += 1;
        } while (cursor !== undefined);
        expect(seen).toEqual([6, 5, 4, 3, 2, 1]);
        expect(pages).toBe(2);
        const exact = await db.queryCalls({ agentId: 'a1' }, 6);
        expect(exact.next).toBeNull();
      });

      it('refuses a cursor it did not hand out', async () => {
        await expect(db.queryCalls({}, 5, 'not-a-cursor')).rejects.toBeInstanceOf(InvalidCursorError);
        const foreign = Buffer.from(JSON.stringify({ s: 'x' })).toString('base64url');
        await expect(db.queryCalls({}, 5, foreign)).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });
  });
}

/** Agent state log, audit log, daily reports and retention. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { RecordsDb } from '../../../src/app/records/records-db.js';
import { agentEvent, auditEntry, calls, DAY, item, record, stored, T0, type RecordsTarget, useFreshDb } from './fixtures.js';

export function logsContract(target: RecordsTarget): void {
  describe('logs, reports, retention', () => {
    const fresh = useFreshDb(target);
    let db: RecordsDb;
    beforeEach(() => { db = fresh().db; });

    it('agentEvents: the window, plus each agent\'s last state before it; once per id; same-ms events in insertion order', async () => {
      await db.appendAgentEvents([
        agentEvent('e1', 'a1', T0 - 5_000, 'ready'),
        agentEvent('e2', 'a1', T0 - 1_000, 'not-ready', { reason: 'lunch' }),
        agentEvent('e3', 'a2', T0 - 9_000, 'ready'),
        agentEvent('e4', 'a3', T0 + 10, 'ready'),
        agentEvent('e5', 'a1', T0 + 100, 'reserved', { callId: 'call-1' }),
        agentEvent('e6', 'a1', T0 + 100, 'ringing', { callId: 'call-1' }),
        agentEvent('e7', 'a2', T0 + 5_000, 'logged-out'),
      ]);
      await db.appendAgentEvents([agentEvent('e2', 'a1', T0 - 1_000, 'ready'), agentEvent('e8', 'a1', T0 + 60_000, 'wrap-up')]);
      const all = await db.agentEvents(T0, T0 + 60_000);
      expect(all.map((e) => e.id)).toEqual(['e3', 'e2', 'e4', 'e5', 'e6', 'e7']);
      expect(all[1]).toEqual({ id: 'e2', agentId: 'a1', at: T0 - 1_000, status: 'not-ready', reason: 'lunch', node: 'node-a' });
      expect(all[3]).toEqual({ id: 'e5', agentId: 'a1', at: T0 + 100, status: 'reserved', callId: 'call-1', node: 'node-a' });
      expect((await db.agentEvents(T0, T0 + 60_001, 'a1')).map((e) => e.id)).toEqual(['e2', 'e5', 'e6', 'e8']);
      expect((await db.agentEvents(T0 - 100_000, T0 - 9_000)).map((e) => e.id)).toEqual([]);
    });

    it('audit: the window newest first, paged by an opaque cursor through entries of the same millisecond', async () => {
      const entries = Array.from({ length: 25 }, (_, i) => auditEntry(i, T0 + Math.floor(i / 3) * 1_000));
      await db.appendAudit(entries);
      await db.appendAudit(entries.slice(0, 5));
      const seen: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await db.queryAudit(T0, T0 + 8_000, 4, cursor);
        expect(page.rows.length).toBeLessThanOrEqual(4);
        seen.push(...page.rows.map((e) => e.id));
        if (page.next === null) break;
        cursor = page.next;
      }
      // at < T0 + 8 s: entries 0..23; newest first, ids descending within a millisecond
      const expected = entries.slice(0, 24).sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((e) => e.id);
      expect(seen).toEqual(expected);
      const one = (await db.queryAudit(T0, T0 + 1, 10)).rows;
      expect(one.map((e) => e.id)).toEqual(['audit-002', 'audit-001', 'audit-000']);
      expect(one[2]).toEqual(entries[0]);
    });

    it('reports: put, get, replace; null for a date never stored', async () => {
      expect(await db.getReport('2026-12-01')).toBeNull();
      await db.putReport('2026-12-01', { calls: 10, lines: { '12345': { answered: 9 } } });
      expect(await db.getReport('2026-12-01')).toEqual({ calls: 10, lines: { '12345': { answered: 9 } } });
      await db.putReport('2026-12-01', { calls: 11 });
      expect(await db.getReport('2026-12-01')).toEqual({ calls: 11 });
    });

    it('purge: each kind past its days, caller numbers masked once, pending outbox items kept, seq never reused', async () => {
      const now = T0 + 100 * DAY;
      const at = (days: number, i: number): ReturnType<typeof record> => ({ ...record(i), arrivedAt: now - days * DAY, caller: `1390000000${i}` });
      await db.insertCalls([stored(at(95, 1)), stored(at(40, 2)), stored(at(20, 3)), stored({ ...at(40, 4), caller: undefined })]);
      await db.appendAgentEvents([agentEvent('old', 'a1', now - 31 * DAY, 'ready'), agentEvent('new', 'a1', now - 29 * DAY, 'ready')]);
      await db.appendAudit([auditEntry(1, now - 400 * DAY), auditEntry(2, now - 10 * DAY)]);
      await db.putReport('2026-01-01', { old: true });
      await db.putReport('2027-03-01', { old: false });
      await db.enqueueOutbox([item('done', 't', now - 10 * DAY), item('owed', 't', now - 10 * DAY), item('dead', 'u', now - 10 * DAY), item('fresh', 'v', now - 1 * DAY)]);
      await db.claimOutbox('n', now, 1_000, 10);
      await db.markDelivered('done', now);
      await db.markFailed('dead', 'x', now, true);
      await db.markDelivered('fresh', now);

      const policy = { callRecordsDays: 90, callerNumberDays: 30, agentLogDays: 30, auditDays: 365, reportsDays: 300, outboxDays: 7 };
      const mask = (c: string): string => `${c.slice(0, 3)}****${c.slice(-4)}`;
      expect(await db.purge(policy, now, mask)).toEqual({ callRecords: 1, callerNumbersMasked: 1, agentLog: 1, audit: 1, reports: 1, outbox: 2 });
      expect(await db.findCall('call-1')).toBeNull();
      expect((await db.findCall('call-2'))?.record.caller).toBe('139****0002');
      expect((await db.findCall('call-3'))?.record.caller).toBe('13900000003');
      expect((await db.findCall('call-4'))?.record).not.toHaveProperty('caller');
      expect((await db.agentEvents(now - 40 * DAY, now)).map((e) => e.id)).toEqual(['new']);
      expect((await db.queryAudit(0, now, 10)).rows.map((e) => e.id)).toEqual(['audit-002']);
      expect(await db.getReport('2026-01-01')).toBeNull();
      expect(await db.getReport('2027-03-01')).toEqual({ old: false });
      expect(await db.outboxCounts()).toEqual({ pending: 1, delivered: 1, dead: 0 });
      // a second purge finds nothing more (the masked number is not masked again)
      expect(await db.purge(policy, now, mask)).toEqual({ callRecords: 0, callerNumbersMasked: 0, agentLog: 0, audit: 0, reports: 0, outbox: 0 });
      // nothing is purged without a policy
      expect(await db.purge({}, now + 1_000 * DAY, mask)).toEqual({ callRecords: 0, callerNumbersMasked: 0, agentLog: 0, audit: 0, reports: 0, outbox: 0 });

      // every call purged: new ones still get seqs after every seq handed out (a tail follower is past them)
      await db.purge({ callRecordsDays: 0 }, now + DAY, mask);
      expect(await db.callsAfter(0, 10)).toEqual([]);
      await db.insertCalls(calls(10, 1));
      expect((await db.callsAfter(0, 10)).map((r) => r.seq)).toEqual([5]);
      await db.purge({ outboxDays: 0 }, now + DAY, mask);
      await db.enqueueOutbox([item('fresh2', 'v', now)]);
      expect((await db.outboxAfter('v', 0, 10)).map((r) => r.seq)).toEqual([2]);
    });
  });
}

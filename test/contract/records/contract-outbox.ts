/** The outbox: per-topic order, one head per topic, due times, leases and their expiry, dead items, replay. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutboxRow, RecordsDb } from '../../../src/app/records/records-db.js';
import { item, T0, type RecordsTarget, useFreshDb } from './fixtures.js';

const ids = (rows: readonly OutboxRow[]): string[] => rows.map((r) => r.id).sort();

export function outboxContract(target: RecordsTarget): void {
  describe('outbox', () => {
    const fresh = useFreshDb(target);
    let db: RecordsDb;
    beforeEach(() => { db = fresh().db; });

    it('numbers items per topic in insertion order, once per id', async () => {
      await db.enqueueOutbox([item('w1', 'work-orders'), item('d1', 'dept:water'), item('w2', 'work-orders')]);
      await db.enqueueOutbox([item('w2', 'work-orders'), item('w3', 'work-orders'), item('w3', 'work-orders')]);
      expect((await db.outboxAfter('work-orders', 0, 10)).map((r) => [r.id, r.seq, r.state, r.attempts])).toEqual([
        ['w1', 1, 'pending', 0], ['w2', 2, 'pending', 0], ['w3', 3, 'pending', 0],
      ]);
      expect((await db.outboxAfter('dept:water', 0, 10)).map((r) => [r.id, r.seq])).toEqual([['d1', 1]]);
      expect(await db.outboxCounts()).toEqual({ pending: 4, delivered: 0, dead: 0 });
    });

    it('hands out one item per topic, the lowest pending one, and the next only after it is settled', async () => {
      await db.enqueueOutbox([item('w1', 'work-orders'), item('w2', 'work-orders'), item('d1', 'dept:water'), item('d2', 'dept:water')]);
      const first = await db.claimOutbox('node-a', T0, 30_000, 10);
      expect(ids(first)).toEqual(['d1', 'w1']);
      expect(first.every((r) => r.state === 'pending')).toBe(true);
      // leased: nobody gets these topics now, this node included
      expect(await db.claimOutbox('node-b', T0 + 1, 30_000, 10)).toEqual([]);
      expect(await db.claimOutbox('node-a', T0 + 1, 30_000, 10)).toEqual([]);
      await db.markDelivered('w1', T0 + 2);
      expect(ids(await db.claimOutbox('node-b', T0 + 3, 30_000, 10))).toEqual(['w2']);
      const w1 = (await db.outboxAfter('work-orders', 0, 1))[0];
      expect(w1).toMatchObject({ id: 'w1', state: 'delivered', deliveredAt: T0 + 2, lastError: null });
    });

    it('waits for a failed item until it is due again, holding its topic back; a dead one lets the next go', async () => {
      await db.enqueueOutbox([item('w1', 'work-orders'), item('w2', 'work-orders')]);
      expect(ids(await db.claimOutbox('node-a', T0, 30_000, 10))).toEqual(['w1']);
      await db.markFailed('w1', 'HTTP 503', T0 + 10_000, false);
      expect(await db.claimOutbox('node-a', T0 + 9_999, 30_000, 10)).toEqual([]);
      const again = await db.claimOutbox('node-a', T0 + 10_000, 30_000, 10);
      expect(again.map((r) => [r.id, r.attempts, r.lastError, r.nextAttemptAt])).toEqual([['w1', 1, 'HTTP 503', T0 + 10_000]]);
      await db.markFailed('w1', 'HTTP 400', T0 + 20_000, true);
      expect(ids(await db.claimOutbox('node-a', T0 + 10_001, 30_000, 10))).toEqual(['w2']);
      expect(await db.outboxCounts()).toEqual({ pending: 1, delivered: 0, dead: 1 });
    });

    it('a crashed node\'s lease expires and another node takes the item over', async () => {
      await db.enqueueOutbox([item('w1', 'work-orders')]);
      expect(ids(await db.claimOutbox('node-a', T0, 5_000, 10))).toEqual(['w1']);
      expect(await db.claimOutbox('node-b', T0 + 4_999, 5_000, 10)).toEqual([]);
      expect(ids(await db.claimOutbox('node-b', T0 + 5_000, 5_000, 10))).toEqual(['w1']);
    });

    it('claims at most limit items, the longest due first', async () => {
      await db.enqueueOutbox([item('a', 't1', T0 + 3), item('b', 't2', T0 + 1), item('c', 't3', T0 + 2)]);
      expect((await db.claimOutbox('node-a', T0 + 10, 1_000, 2)).map((r) => r.id)).toEqual(['b', 'c']);
    });

    it('items not yet due are not handed out', async () => {
      await db.enqueueOutbox([item('later', 't1', T0 + 1_000)]);
      expect(await db.claimOutbox('node-a', T0, 1_000, 10)).toEqual([]);
      expect(ids(await db.claimOutbox('node-a', T0 + 1_000, 1_000, 10))).toEqual(['later']);
    });

    it('replays a topic after a seq, whatever the state of each item', async () => {
      await db.enqueueOutbox(['1', '2', '3', '4'].map((i) => item(`d${i}`, 'dept:water')));
      await db.claimOutbox('node-a', T0, 1_000, 10);
      await db.markDelivered('d1', T0 + 1);
      await db.claimOutbox('node-a', T0 + 2, 1_000, 10);
      await db.markFailed('d2', 'gone', T0 + 3, true);
      expect((await db.outboxAfter('dept:water', 1, 2)).map((r) => [r.id, r.state])).toEqual([['d2', 'dead'], ['d3', 'pending']]);
      expect((await db.outboxAfter('dept:water', 3, 10)).map((r) => r.id)).toEqual(['d4']);
    });

    it('two nodes claiming at once never get the same item, and each topic is delivered in order', async () => {
      const topics = Array.from({ length: 20 }, (_, t) => `dept:${t}`);
      await db.enqueueOutbox(topics.flatMap((t) => [1, 2, 3, 4, 5].map((k) => item(`${t}/${k}`, t))));
      const other = await fresh().another();
      const delivered: string[] = [];
      let now = T0;
      const worker = async (node: string, handle: RecordsDb): Promise<void> => {
        for (let round = 0; round < 200; round++) {
          const claimed = await handle.claimOutbox(node, now++, 60_000, 7);
          if (claimed.length === 0 && delivered.length === 100) return;
          for (const c of claimed) {
            delivered.push(c.id);
            await handle.markDelivered(c.id, now);
          }
        }
      };
      await Promise.all([worker('node-a', db), worker('node-b', other), worker('node-a2', db), worker('node-b2', other)]);
      expect(delivered).toHaveLength(100);
      expect(new Set(delivered).size).toBe(100);
      for (const t of topics) expect(delivered.filter((id) => id.startsWith(`${t}/`))).toEqual([1, 2, 3, 4, 5].map((k) => `${t}/${k}`));
    });
  });
}

/**
 * What only the Redis store can get wrong: ordering exactness where doubles would round
 * (seniority and seq up to 2^53 − 1, epoch-ms seniorities one apart, hundreds of equal
 * seniorities), input it cannot order exactly, the key layout (one prefix, one hash tag,
 * deployments isolated), and the reservation expiry that node-death recovery builds on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RedisAcdStore } from '../../../src/adapters/store/redis/index.js';
import { compareEntries } from '../../../src/core/acd/queue-order.js';
import type { QueueEntry } from '../../../src/core/acd/types.js';
import { useRedisClient } from '../../support/redis-client.js';
import { requireRedisServer } from '../../support/redis-server.js';
import { readyAgent } from './store-contract.js';

const haveRedis = requireRedisServer();
const MAX = Number.MAX_SAFE_INTEGER;
const EPOCH = 1_800_000_000_000;

describe.skipIf(!haveRedis)('redis store: order exactness, key layout, reservation expiry', () => {
  const redis = useRedisClient();
  let n = 0;
  const fresh = (): RedisAcdStore => new RedisAcdStore(redis.client, { deployment: `layout-${++n}` });

  async function expectServedInOrder(s: RedisAcdStore, queueId: string, model: QueueEntry[]): Promise<void> {
    const want = [...model].sort(compareEntries);
    expect(await s.waiting(queueId)).toEqual(want);
    for (const [i, e] of want.entries()) expect(await s.position(queueId, e.callId)).toBe(i + 1);
  }

  it('orders exactly at seniorities and seqs where a double score would round', async () => {
    const s = fresh();
    const seniorities = [0, 1, EPOCH, EPOCH + 1, EPOCH - 1, 2 ** 53 - 2, MAX, MAX - 1, 2 ** 52 + 1, 2 ** 52];
    const model: QueueEntry[] = [];
    let i = 0;
    for (const seniority of seniorities) {
      for (const priority of [0, 9, 5]) {
        model.push(await s.enqueue('q', { callId: `c${i++}`, priority, enqueuedAt: EPOCH, seniority }));
      }
    }
    // Brought-back seqs near 2^53 tie-break equal (priority, seniority) exactly.
    for (const seq of [MAX, MAX - 2, MAX - 1]) model.push(await s.enqueue('q', { callId: `s${seq}`, priority: 1, enqueuedAt: EPOCH, seniority: MAX, seq }));
    await expectServedInOrder(s, 'q', model);
    expect(await s.dequeue('q')).toMatchObject({ priority: 9, seniority: 0 });
  });

  it('hundreds of equal seniorities are served by seq, i.e. in arrival order', async () => {
    const s = fresh();
    const model: QueueEntry[] = [];
    for (let i = 0; i < 300; i++) model.push(await s.enqueue('q', { callId: `c${i}`, priority: 0, enqueuedAt: EPOCH }));
    expect(model.map((e) => e.seq)).toEqual([...model.map((e) => e.seq)].sort((a, b) => a - b));
    await expectServedInOrder(s, 'q', model);
    const served: string[] = [];
    for (let e = await s.dequeue('q'); e !== null; e = await s.dequeue('q')) served.push(e.callId);
    expect(served).toEqual(model.map((e) => e.callId));
  });

  it('property: any mix of priorities, extreme seniorities and brought-back seqs is served in compareEntries order', async () => {
    const seniority = fc.oneof(fc.constantFrom(0, EPOCH, EPOCH + 1, MAX - 1, MAX), fc.integer({ min: 0, max: MAX }));
    const spec = fc.record({
      priority: fc.integer({ min: 0, max: 9 }), seniority, seq: fc.option(fc.integer({ min: 0, max: MAX }), { nil: undefined }),
    });
    await fc.assert(fc.asyncProperty(fc.array(spec, { minLength: 1, maxLength: 40 }), async (specs) => {
      const s = fresh();
      const model: QueueEntry[] = [];
      for (const [i, x] of specs.entries()) {
        // A fresh seq must stay below 2^53: only bring back seqs that leave room.
        const seq = x.seq !== undefined && x.seq < MAX - specs.length ? x.seq : undefined;
        model.push(await s.enqueue('q', { callId: `c${i}`, priority: x.priority, enqueuedAt: EPOCH, seniority: x.seniority, ...(seq === undefined ? {} : { seq }) }));
      }
      await expectServedInOrder(s, 'q', model);
    }), { numRuns: 60 });
  });

  it('rejects what it cannot order exactly, without writing anything', async () => {
    const s = fresh();
    await expect(s.enqueue('q', { callId: 'c1', priority: 0, enqueuedAt: 1.5 })).rejects.toBeInstanceOf(RangeError);
    await expect(s.enqueue('q', { callId: 'c1', priority: -1, enqueuedAt: 1 })).rejects.toBeInstanceOf(RangeError);
    await expect(s.enqueue('q', { callId: 'c1', priority: 100, enqueuedAt: 1 })).rejects.toBeInstanceOf(RangeError);
    await expect(s.enqueue('q', { callId: 'c1', priority: 0, enqueuedAt: 1, seniority: MAX + 1 })).rejects.toBeInstanceOf(RangeError);
    await expect(s.enqueue('q', { callId: 'c1', priority: 0, enqueuedAt: 1, seq: -1 })).rejects.toBeInstanceOf(RangeError);
    expect(await s.length('q')).toBe(0);
    expect(() => new RedisAcdStore(redis.client, { deployment: 'a{b}' })).toThrow(RangeError);
    expect(() => new RedisAcdStore(redis.client, { deployment: 'star*' })).toThrow(RangeError);
  });

  it('every key lives under {deployment}: (one hash tag, one cluster slot); deployments do not see each other', async () => {
    const s = new RedisAcdStore(redis.client, { deployment: 'alpha' });
    const other = new RedisAcdStore(redis.client, { deployment: 'beta' });
    const a = await readyAgent(s, 'a1', ['q1', 'q2'], 1);
    await readyAgent(s, 'a2', ['q2'], 2);
    await s.enqueue('q1', { callId: 'c1', priority: 1, enqueuedAt: 10, line: '12319' });
    await s.enqueue('q1', { callId: 'c2', priority: 0, enqueuedAt: 11 });
    await s.enqueue('q2', { callId: 'c3', priority: 0, enqueuedAt: 12 });
    await s.moveEntry('q1', 'pool', 'c2', 20);
    const r = await s.reserveAgent({ agentId: 'a1', expectedVersion: a.version, queueId: 'q1', callId: 'c1', reservedUntil: 100, now: 30 });
    expect(r.ok).toBe(true);
    await s.applyAgentEvent('a1', { type: 'ring', callId: 'c1', ringUntil: 200 }, 31);
    await s.expireReservations(500);
    await s.agentCounts('q1');
    await s.lengths();
    await s.remove('q2', 'c3');
    await s.peek('pool');

    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.client.scan(cursor, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    expect(keys.length).toBeGreaterThan(5);
    // The hash tag is the first {…}: starting with `{alpha}` puts every key in alpha's slot.
    const outside = keys.filter((k) => !k.startsWith('{alpha}:') && !k.startsWith('{layout-'));
    expect(outside).toEqual([]);
    expect(keys.filter((k) => k.startsWith('{beta}'))).toEqual([]);
    expect(await other.listAgents()).toEqual([]);
    expect(await other.lengths()).toEqual({});
    expect(await other.getAgent('a1')).toBeNull();
    expect(await s.lengths()).toEqual({ pool: 1 });
  });

  it('expireReservations releases reserved and ringing agents whose time has come, keeping idleSince', async () => {
    const s = fresh();
    const a1 = await readyAgent(s, 'a1', ['q'], 7);
    const a2 = await readyAgent(s, 'a2', ['q'], 8);
    const a3 = await readyAgent(s, 'a3', ['q'], 9);
    for (const c of ['c1', 'c2', 'c3']) await s.enqueue('q', { callId: c, priority: 0, enqueuedAt: 10 });
    const reserve = (agentId: string, version: number, callId: string, reservedUntil: number) =>
      s.reserveAgent({ agentId, expectedVersion: version, queueId: 'q', callId, reservedUntil, now: 20 });
    await reserve('a1', a1.version, 'c1', 5_000);
    await reserve('a2', a2.version, 'c2', 5_000);
    await reserve('a3', a3.version, 'c3', 5_000);
    await s.applyAgentEvent('a2', { type: 'ring', callId: 'c2', ringUntil: 8_000 }, 30);
    await s.applyAgentEvent('a3', { type: 'answer', callId: 'c3' }, 30);

    expect(await s.expireReservations(4_999)).toEqual([]);
    const first = await s.expireReservations(5_000);
    expect(first.map((x) => x.id)).toEqual(['a1']);
    expect(first[0]).toMatchObject({ state: { status: 'ready' }, idleSince: 7, since: 5_000, version: a1.version + 2 });
    expect(await s.getAgent('a1')).toEqual(first[0]);
    const second = await s.expireReservations(10_000);
    expect(second.map((x) => x.id)).toEqual(['a2']);
    expect(second[0]).toMatchObject({ state: { status: 'ready' }, idleSince: 8 });
    expect(await s.expireReservations(10_000)).toEqual([]);
    expect((await s.getAgent('a3'))?.state.status).toBe('on-call');
    expect((await s.listCandidates('q')).map((x) => x.id)).toEqual(['a1', 'a2']);
    // A reservation released by its node is gone from the expiry index too.
    const a1now = (await s.getAgent('a1'))!;
    await s.enqueue('q', { callId: 'c4', priority: 0, enqueuedAt: 40 });
    await reserve('a1', a1now.version, 'c4', 20_000);
    expect(await s.releaseAgent('a1', 'c4', 41)).toBe(true);
    expect(await s.expireReservations(30_000)).toEqual([]);
  });
});

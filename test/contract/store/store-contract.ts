/**
 * The behaviour every AcdStore must have, whatever holds the state. Each implementation runs it:
 *   describeStoreContract('memory', () => new MemoryAcdStore());
 * `makeStore` must return an empty store each time (the Redis one: a fresh key prefix or db).
 * Only the port is used here, so a passing suite means the dispatcher works on that store.
 */
import { describe, expect, it } from 'vitest';
import { AcdStoreError, type AcdStore } from '../../../src/core/acd/store-port.js';
import type { AgentSnapshot } from '../../../src/core/acd/types.js';
import { describeStoreProperties } from './store-properties.js';

export type MakeStore = () => AcdStore | Promise<AcdStore>;

export async function readyAgent(store: AcdStore, id: string, queues: string[], now: number): Promise<AgentSnapshot> {
  await store.upsertAgent({ id, skills: {}, queues }, now);
  await store.applyAgentEvent(id, { type: 'login' }, now);
  const r = await store.applyAgentEvent(id, { type: 'ready' }, now);
  if (!r.ok) throw new Error(`setup: ${id} could not become ready`);
  return r.agent;
}

const ids = (entries: { callId: string }[]): string[] => entries.map((e) => e.callId);

export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`AcdStore contract: ${name}`, () => {
    describe('agents', () => {
      it('a new agent starts logged out at version 0; an update keeps its state', async () => {
        const s = await makeStore();
        expect(await s.getAgent('a1')).toBeNull();
        const a = await s.upsertAgent({ id: 'a1', skills: { tax: 2 }, queues: ['q1'] }, 10);
        expect(a).toMatchObject({ id: 'a1', state: { status: 'logged-out' }, version: 0, idleSince: null });
        await s.applyAgentEvent('a1', { type: 'login' }, 20);
        const b = await s.upsertAgent({ id: 'a1', skills: { tax: 3 }, queues: ['q1', 'q2'] }, 30);
        expect(b).toMatchObject({ skills: { tax: 3 }, queues: ['q1', 'q2'], state: { status: 'not-ready', reason: 'login' } });
        expect(b.version).toBeGreaterThan(1);
        expect(await s.getAgent('a1')).toEqual(b);
        expect((await s.listAgents()).map((x) => x.id)).toEqual(['a1']);
      });

      it('state changes go through the state machine and its typed errors', async () => {
        const s = await makeStore();
        await s.upsertAgent({ id: 'a1', skills: {}, queues: ['q1'] }, 0);
        expect(await s.applyAgentEvent('a1', { type: 'ready' }, 1)).toEqual({
          ok: false, error: { code: 'illegal-transition', from: 'logged-out', event: 'ready' },
        });
        expect(await s.applyAgentEvent('nobody', { type: 'login' }, 1)).toEqual({ ok: false, error: { code: 'unknown-agent', agentId: 'nobody' } });
        const r = await s.applyAgentEvent('a1', { type: 'login' }, 1, 0);
        expect(r.ok && r.agent.version).toBe(1);
        expect(await s.applyAgentEvent('a1', { type: 'ready' }, 2, 0)).toEqual({
          ok: false, error: { code: 'version-conflict', expected: 0, actual: 1 },
        });
      });

      it('listCandidates: the ready agents serving the queue, kept current', async () => {
        const s = await makeStore();
        await readyAgent(s, 'a1', ['q1'], 1);
        await readyAgent(s, 'a2', ['q1', 'q2'], 2);
        await readyAgent(s, 'a3', ['q2'], 3);
        await s.upsertAgent({ id: 'a4', skills: {}, queues: ['q1'] }, 4);
        const cands = async (q: string) => (await s.listCandidates(q)).map((a) => a.id).sort();
        expect(await cands('q1')).toEqual(['a1', 'a2']);
        await s.applyAgentEvent('a1', { type: 'not-ready', reason: 'break' }, 5);
        expect(await cands('q1')).toEqual(['a2']);
        await s.upsertAgent({ id: 'a2', skills: {}, queues: ['q2'] }, 6);
        expect(await cands('q1')).toEqual([]);
        expect(await cands('q2')).toEqual(['a2', 'a3']);
      });

      it('bestCandidate: the core\'s choice among the queue\'s ready agents (skills, policy, longest idle, id), kept current', async () => {
        const s = await makeStore();
        const agent = async (id: string, skills: Record<string, number>, queues: string[], readyAt: number) => {
          await s.upsertAgent({ id, skills, queues }, readyAt);
          await s.applyAgentEvent(id, { type: 'login' }, readyAt);
          await s.applyAgentEvent(id, { type: 'ready' }, readyAt);
        };
        await agent('a1', { tax: 1 }, ['q1'], 5);
        await agent('a2', { tax: 3 }, ['q1'], 7);
        await agent('a3', {}, ['q1'], 1);
        await agent('a4', { tax: 3 }, ['q1'], 7);
        const idle = { id: 'q1', skills: ['tax'], selection: 'longest-idle' as const };
        const bySkill = { ...idle, selection: 'skill-then-longest-idle' as const };
        const best = async (q: typeof idle | typeof bySkill) => (await s.bestCandidate(q))?.id ?? null;
        // a3 idles longest but lacks the skill; by skill, a2 and a4 tie on level and idle time: the id decides.
        expect(await best(idle)).toBe('a1');
        expect(await best(bySkill)).toBe('a2');
        expect(await best({ ...idle, skills: [] })).toBe('a3');
        await s.applyAgentEvent('a2', { type: 'not-ready', reason: 'break' }, 8);
        expect(await best(bySkill)).toBe('a4');
        await s.applyAgentEvent('a1', { type: 'not-ready', reason: 'break' }, 8);
        expect(await best(idle)).toBe('a4');
        expect(await best({ ...idle, id: 'q2' })).toBeNull();
        expect(await best({ ...idle, skills: ['law'] })).toBeNull();
      });

      it('agentCounts by status for the agents serving the queue', async () => {
        const s = await makeStore();
        await readyAgent(s, 'a1', ['q1'], 1);
        await s.upsertAgent({ id: 'a2', skills: {}, queues: ['q1'] }, 1);
        await s.upsertAgent({ id: 'a3', skills: {}, queues: ['q1'] }, 1);
        await s.applyAgentEvent('a3', { type: 'login' }, 2);
        expect(await s.agentCounts('q1')).toEqual({
          'logged-out': 1, ready: 1, reserved: 0, ringing: 0, 'on-call': 0, 'wrap-up': 0, 'not-ready': 1,
        });
        expect((await s.agentCounts('nothing')).ready).toBe(0);
      });

      it('agentCounts follow an agent whose queues change, and a reading is not changed by later moves', async () => {
        const s = await makeStore();
        await readyAgent(s, 'a1', ['q1', 'q2'], 1);
        const before = await s.agentCounts('q1');
        await s.upsertAgent({ id: 'a1', skills: {}, queues: ['q2', 'q3'] }, 2);
        await s.applyAgentEvent('a1', { type: 'not-ready', reason: 'break' }, 3);
        expect(before.ready).toBe(1);
        expect(await s.agentCounts('q1')).toMatchObject({ ready: 0, 'not-ready': 0 });
        expect(await s.agentCounts('q2')).toMatchObject({ ready: 0, 'not-ready': 1 });
        expect(await s.agentCounts('q3')).toMatchObject({ ready: 0, 'not-ready': 1 });
      });
    });

    describe('reservation', () => {
      it('is exclusive: two concurrent reserves of one agent → exactly one wins', async () => {
        const s = await makeStore();
        const a = await readyAgent(s, 'a1', ['q1'], 1);
        await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10 });
        await s.enqueue('q1', { callId: 'c2', priority: 0, enqueuedAt: 11 });
        const req = (callId: string) => ({ agentId: 'a1', expectedVersion: a.version, queueId: 'q1', callId, reservedUntil: 5000, now: 20 });
        const [r1, r2] = await Promise.all([s.reserveAgent(req('c1')), s.reserveAgent(req('c2'))]);
        expect([r1.ok, r2.ok].filter(Boolean)).toHaveLength(1);
        const loser = r1.ok ? r2 : r1;
        expect(loser).toEqual({ ok: false, reason: 'agent-changed' });
        const winner = r1.ok ? r1 : r2;
        if (!winner.ok) throw new Error('unreachable');
        expect(winner.agent.state).toEqual({ status: 'reserved', callId: winner.entry.callId, queueId: 'q1', reservedUntil: 5000 });
        expect(await s.length('q1')).toBe(1);
        expect(await s.listCandidates('q1')).toEqual([]);
      });

      it('one caller reserved by two agents concurrently → one wins, the other agent stays ready', async () => {
        const s = await makeStore();
        const a1 = await readyAgent(s, 'a1', ['q1'], 1);
        const a2 = await readyAgent(s, 'a2', ['q1'], 1);
        await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10 });
        const req = (a: AgentSnapshot) => ({ agentId: a.id, expectedVersion: a.version, queueId: 'q1', callId: 'c1', reservedUntil: 5000, now: 20 });
        const rs = await Promise.all([s.reserveAgent(req(a1)), s.reserveAgent(req(a2))]);
        expect(rs.filter((r) => r.ok)).toHaveLength(1);
        expect(rs.find((r) => !r.ok)).toEqual({ ok: false, reason: 'caller-gone' });
        expect((await s.listCandidates('q1'))).toHaveLength(1);
      });

      it('fails without side effects: stale version, agent not ready, caller gone, unknown agent', async () => {
        const s = await makeStore();
        const a = await readyAgent(s, 'a1', ['q1'], 1);
        await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10 });
        const base = { agentId: 'a1', expectedVersion: a.version, queueId: 'q1', callId: 'c1', reservedUntil: 5000, now: 20 };
        expect(await s.reserveAgent({ ...base, expectedVersion: a.version - 1 })).toEqual({ ok: false, reason: 'agent-changed' });
        expect(await s.reserveAgent({ ...base, callId: 'nobody' })).toEqual({ ok: false, reason: 'caller-gone' });
        expect(await s.reserveAgent({ ...base, queueId: 'q2' })).toEqual({ ok: false, reason: 'caller-gone' });
        expect(await s.reserveAgent({ ...base, agentId: 'ghost' })).toEqual({ ok: false, reason: 'unknown-agent' });
        expect(await s.getAgent('a1')).toEqual(a);
        expect(await s.position('q1', 'c1')).toBe(1);
        const nr = await s.applyAgentEvent('a1', { type: 'not-ready', reason: 'meeting' }, 30);
        expect(await s.reserveAgent({ ...base, expectedVersion: nr.ok ? nr.agent.version : -1 })).toEqual({ ok: false, reason: 'agent-unavailable' });
        expect(await s.position('q1', 'c1')).toBe(1);
      });

      it('release: a reserved or ringing agent is ready again with its old idleSince; only for its own call', async () => {
        const s = await makeStore();
        const a = await readyAgent(s, 'a1', ['q1'], 7);
        await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10 });
        await s.reserveAgent({ agentId: 'a1', expectedVersion: a.version, queueId: 'q1', callId: 'c1', reservedUntil: 5000, now: 20 });
        expect(await s.releaseAgent('a1', 'other', 30)).toBe(false);
        await s.applyAgentEvent('a1', { type: 'ring', callId: 'c1', ringUntil: 25_000 }, 25);
        expect((await s.getAgent('a1'))?.state).toMatchObject({ status: 'ringing', reservedUntil: 25_000 });
        expect(await s.releaseAgent('a1', 'c1', 30)).toBe(true);
        expect(await s.getAgent('a1')).toMatchObject({ state: { status: 'ready' }, idleSince: 7 });
        expect(await s.releaseAgent('a1', 'c1', 31)).toBe(false);
        expect(await s.releaseAgent('ghost', 'c1', 31)).toBe(false);
        expect((await s.listCandidates('q1')).map((x) => x.id)).toEqual(['a1']);
      });

      it('fencing: a release with the version of a stale assignment frees nothing; the current one does', async () => {
        const s = await makeStore();
        const a = await readyAgent(s, 'a1', ['q1'], 7);
        await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10 });
        const first = await s.reserveAgent({ agentId: 'a1', expectedVersion: a.version, queueId: 'q1', callId: 'c1', reservedUntil: 5000, now: 20 });
        if (!first.ok) throw new Error('setup: reserve');
        // The reservation is lost (a reap) and the same caller reserved anew with the same agent.
        expect(await s.releaseAgent('a1', 'c1', 21)).toBe(true);
        await s.enqueue('q1', first.entry);
        const again = await s.getAgent('a1');
        const second = await s.reserveAgent({ agentId: 'a1', expectedVersion: again?.version ?? -1, queueId: 'q1', callId: 'c1', reservedUntil: 6000, now: 22 });
        if (!second.ok) throw new Error('setup: reserve again');
        expect(await s.releaseAgent('a1', 'c1', 23, first.agent.version)).toBe(false);
        expect((await s.getAgent('a1'))?.state).toMatchObject({ status: 'reserved', callId: 'c1' });
        expect(await s.releaseAgent('a1', 'c1', 24, second.agent.version)).toBe(true);
        expect((await s.getAgent('a1'))?.state).toEqual({ status: 'ready' });
      });

      it('fencing: the ring keeps when the phone stops ringing; the same profile again keeps the version (tokens in flight stay valid)', async () => {
        const s = await makeStore();
        const a = await readyAgent(s, 'a1', ['q1'], 7);
        await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10 });
        const r = await s.reserveAgent({ agentId: 'a1', expectedVersion: a.version, queueId: 'q1', callId: 'c1', reservedUntil: 5000, now: 20 });
        if (!r.ok) throw new Error('setup: reserve');
        expect(await s.upsertAgent({ id: 'a1', skills: {}, queues: ['q1'] }, 21)).toEqual(r.agent);
        const rung = await s.applyAgentEvent('a1', { type: 'ring', callId: 'c1', ringUntil: 35_000, ringEndsAt: 25_000 }, 22, r.agent.version);
        expect(rung.ok && rung.agent.state).toEqual({ status: 'ringing', callId: 'c1', queueId: 'q1', reservedUntil: 35_000, ringEndsAt: 25_000 });
        const changed = await s.upsertAgent({ id: 'a1', skills: { tax: 1 }, queues: ['q1'] }, 23);
        expect(changed.version).toBe((rung.ok ? rung.agent.version : -1) + 1);
      });

      it('a profile emptied (an agent a registry reload removed) while ringing: out of every queue, its ring kept, released at the version the upsert returned', async () => {
        const s = await makeStore();
        const a = await readyAgent(s, 'a1', ['q1', 'q2'], 7);
        await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10 });
        const r = await s.reserveAgent({ agentId: 'a1', expectedVersion: a.version, queueId: 'q1', callId: 'c1', reservedUntil: 5000, now: 20 });
        if (!r.ok) throw new Error('setup: reserve');
        await s.applyAgentEvent('a1', { type: 'ring', callId: 'c1', ringUntil: 35_000 }, 21);
        const emptied = await s.upsertAgent({ id: 'a1', skills: {}, queues: [] }, 22);
        expect(emptied).toMatchObject({ queues: [], skills: {}, state: { status: 'ringing', callId: 'c1' } });
        expect((await s.agentCounts('q1')).ringing).toBe(0);
        expect(await s.getAgent('a1')).toMatchObject({ queues: [], skills: {} });
        expect(await s.releaseAgent('a1', 'c1', 23, emptied.version - 1)).toBe(false);
        expect(await s.releaseAgent('a1', 'c1', 24, emptied.version)).toBe(true);
        expect(await s.listCandidates('q1')).toEqual([]);
        expect(await s.listCandidates('q2')).toEqual([]);
        expect((await s.applyAgentEvent('a1', { type: 'logout' }, 25)).ok).toBe(true);
      });
    });

    describe('queues', () => {
      it('enqueue: seniority defaults to enqueuedAt, seq increases, a call waits in one queue only', async () => {
        const s = await makeStore();
        const e1 = await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10, line: '12319' });
        const e2 = await s.enqueue('q1', { callId: 'c2', priority: 0, enqueuedAt: 10 });
        expect(e1).toMatchObject({ callId: 'c1', queueId: 'q1', seniority: 10, enqueuedAt: 10, line: '12319' });
        expect(e2.seq).toBeGreaterThan(e1.seq);
        await expect(s.enqueue('q2', { callId: 'c1', priority: 0, enqueuedAt: 11 })).rejects.toBeInstanceOf(AcdStoreError);
      });

      it('serves by priority, then seniority, then arrival (seq)', async () => {
        const s = await makeStore();
        await s.enqueue('q1', { callId: 'late', priority: 0, enqueuedAt: 30 });
        await s.enqueue('q1', { callId: 'early', priority: 0, enqueuedAt: 10 });
        await s.enqueue('q1', { callId: 'tie1', priority: 0, enqueuedAt: 20 });
        await s.enqueue('q1', { callId: 'tie2', priority: 0, enqueuedAt: 20 });
        await s.enqueue('q1', { callId: 'vip', priority: 3, enqueuedAt: 40 });
        expect(ids(await s.waiting('q1'))).toEqual(['vip', 'early', 'tie1', 'tie2', 'late']);
        expect((await s.peek('q1'))?.callId).toBe('vip');
        expect(await s.position('q1', 'tie2')).toBe(4);
        expect(await s.position('q1', 'nobody')).toBeNull();
        expect(await s.position('q9', 'vip')).toBeNull();
        expect((await s.dequeue('q1'))?.callId).toBe('vip');
        expect(await s.position('q1', 'tie2')).toBe(3);
        expect((await s.remove('q1', 'tie1'))?.callId).toBe('tie1');
        expect(await s.remove('q1', 'tie1')).toBeNull();
        expect(ids(await s.waiting('q1'))).toEqual(['early', 'tie2', 'late']);
        expect(await s.length('q1')).toBe(3);
      });

      it('FIFO by seniority across enqueue, dequeue and overflow moves', async () => {
        const s = await makeStore();
        await s.enqueue('dual', { callId: 'd1', priority: 0, enqueuedAt: 100 });
        await s.enqueue('pool', { callId: 'p1', priority: 0, enqueuedAt: 150 });
        await s.enqueue('dual', { callId: 'd2', priority: 0, enqueuedAt: 200 });
        await s.enqueue('pool', { callId: 'p2', priority: 0, enqueuedAt: 250 });
        const moved = await s.moveEntry('dual', 'pool', 'd2', 60_200);
        expect(moved).toMatchObject({ callId: 'd2', queueId: 'pool', seniority: 200, enqueuedAt: 60_200, overflowedFrom: 'dual' });
        await s.moveEntry('dual', 'pool', 'd1', 60_100);
        expect(await s.moveEntry('dual', 'pool', 'd1', 60_300)).toBeNull();
        expect(ids(await s.waiting('pool'))).toEqual(['d1', 'p1', 'd2', 'p2']);
        expect(await s.length('dual')).toBe(0);
        expect(await s.position('pool', 'd2')).toBe(3);
        const served: string[] = [];
        for (let e = await s.dequeue('pool'); e !== null; e = await s.dequeue('pool')) served.push(e.callId);
        expect(served).toEqual(['d1', 'p1', 'd2', 'p2']);
        expect(await s.dequeue('pool')).toBeNull();
        expect(await s.peek('pool')).toBeNull();
      });

      it('a call re-queued with its old entry gets its old position back', async () => {
        const s = await makeStore();
        for (const [c, t] of [['c1', 10], ['c2', 20], ['c3', 30]] as const) await s.enqueue('q1', { callId: c, priority: 0, enqueuedAt: t });
        const first = await s.dequeue('q1');
        await s.enqueue('q1', { callId: 'c4', priority: 0, enqueuedAt: 40 });
        await s.enqueue('q1', first!);
        expect(ids(await s.waiting('q1'))).toEqual(['c1', 'c2', 'c3', 'c4']);
        const c5 = await s.enqueue('q1', { callId: 'c5', priority: 0, enqueuedAt: 40 });
        expect(c5.seq).toBeGreaterThan((await s.waiting('q1'))[3]!.seq);
      });

      it('an entry keeps its caller\'s number and line through every read, move, reservation and re-queue', async () => {
        const s = await makeStore();
        const enq = await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10, line: '12328', caller: '13812345678', owner: 'n1' });
        await s.enqueue('q1', { callId: 'c2', priority: 0, enqueuedAt: 20, line: '12345' });
        const number = { line: '12328', caller: '13812345678' };
        expect(enq).toMatchObject(number);
        const [w1, w2] = await s.waiting('q1');
        expect(w1).toMatchObject({ callId: 'c1', ...number, owner: 'n1' });
        // No number given, none stored: the view falls back to what the caller's own node knows.
        expect(w2).toMatchObject({ callId: 'c2', line: '12345' });
        expect(w2).not.toHaveProperty('caller');
        expect(await s.peek('q1')).toMatchObject(number);
        expect(await s.moveEntry('q1', 'q2', 'c1', 30)).toMatchObject({ queueId: 'q2', overflowedFrom: 'q1', ...number });
        const agent = await readyAgent(s, 'a1', ['q2'], 40);
        const r = await s.reserveAgent({ agentId: 'a1', expectedVersion: agent.version, queueId: 'q2', callId: 'c1', reservedUntil: 5000, now: 50 });
        if (!r.ok) throw new Error(`expected a reservation: ${r.reason}`);
        expect(r.entry).toMatchObject(number);
        // Put back after a no-answer, with the entry it had: the number comes back with it.
        await s.enqueue('q2', r.entry);
        expect((await s.waiting('q2'))[0]).toMatchObject({ callId: 'c1', ...number, seniority: 10 });
        expect(await s.remove('q2', 'c1')).toMatchObject(number);
        expect(await s.dequeue('q1')).not.toHaveProperty('caller');
      });

      it('lengths lists the queues with callers', async () => {
        const s = await makeStore();
        await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10 });
        await s.enqueue('q2', { callId: 'c2', priority: 0, enqueuedAt: 10 });
        await s.enqueue('q2', { callId: 'c3', priority: 0, enqueuedAt: 10 });
        await s.dequeue('q1');
        expect(await s.lengths()).toEqual({ q2: 2 });
        expect(await s.length('nothing')).toBe(0);
        expect(await s.waiting('nothing')).toEqual([]);
      });
    });

    describeStoreProperties(makeStore);
  });
}

import { describe, expect, it } from 'vitest';
import { MemoryAcdStore } from '../../../src/adapters/store/memory/index.js';
import { dispatch, queueLookup } from '../../../src/app/acd/dispatch.js';
import { callerGone, noAnswer } from '../../../src/app/acd/outcomes.js';
import { sweepAgents } from '../../../src/app/acd/sweep.js';
import { isWrapUpDue } from '../../../src/core/acd/agent-state.js';
import type { AcdStore } from '../../../src/core/acd/store-port.js';
import { queue } from './fixtures.js';

const queues = queueLookup({
  q12345: queue({ wrapUpSeconds: 15 }),
  tax: queue({ id: 'tax', skills: ['tax'], overflow: 'pool' }),
  pool: queue({ id: 'pool', overflow: undefined }),
});

async function readyAgent(store: AcdStore, id: string, now: number, skills: Record<string, number> = {}, qs = ['q12345']) {
  await store.upsertAgent({ id, skills, queues: qs }, 0);
  await store.applyAgentEvent(id, { type: 'login' }, now);
  const r = await store.applyAgentEvent(id, { type: 'ready' }, now);
  if (!r.ok) throw new Error('setup');
  return r.agent;
}

describe('dispatch', () => {
  it('a caller arriving with a ready agent is assigned at once and leaves the queue', async () => {
    const store = new MemoryAcdStore();
    await readyAgent(store, 'a1', 100);
    await store.enqueue('q12345', { callId: 'c1', priority: 0, enqueuedAt: 1000 });
    const got = await dispatch(store, queues, { kind: 'caller-enqueued', queueId: 'q12345' }, 1000);
    expect(got.map((a) => [a.agent.id, a.entry.callId])).toEqual([['a1', 'c1']]);
    expect(got[0]?.agent.state).toMatchObject({ status: 'reserved', callId: 'c1', reservedUntil: 6000 });
    expect(await store.length('q12345')).toBe(0);
  });

  it('an agent becoming ready takes the best caller across its queues', async () => {
    const store = new MemoryAcdStore();
    await store.upsertAgent({ id: 'a1', skills: { tax: 1 }, queues: ['q12345', 'tax'] }, 0);
    await store.enqueue('q12345', { callId: 'young', priority: 0, enqueuedAt: 5000 });
    await store.enqueue('tax', { callId: 'old', priority: 0, enqueuedAt: 1000 });
    await store.enqueue('q12345', { callId: 'vip', priority: 2, enqueuedAt: 9000 });
    await store.applyAgentEvent('a1', { type: 'login' }, 9500);
    await store.applyAgentEvent('a1', { type: 'ready' }, 10_000);
    const got = await dispatch(store, queues, { kind: 'agent-ready', agentId: 'a1' }, 10_000);
    expect(got.map((a) => a.entry.callId)).toEqual(['vip']);
  });

  it('pairs as many callers and agents as it can in one round', async () => {
    const store = new MemoryAcdStore();
    for (const c of ['c1', 'c2', 'c3']) await store.enqueue('q12345', { callId: c, priority: 0, enqueuedAt: 1000 });
    await readyAgent(store, 'a2', 200);
    await readyAgent(store, 'a1', 100);
    const got = await dispatch(store, queues, { kind: 'agent-ready', agentId: 'a2' }, 2000);
    expect(got.map((a) => [a.agent.id, a.entry.callId])).toEqual([['a1', 'c1'], ['a2', 'c2']]);
    expect(await store.waiting('q12345')).toMatchObject([{ callId: 'c3' }]);
  });

  it('a caller whose queue needs a skill nobody ready has keeps waiting', async () => {
    const store = new MemoryAcdStore();
    await readyAgent(store, 'a1', 100, {}, ['tax']);
    await store.enqueue('tax', { callId: 'c1', priority: 0, enqueuedAt: 1000 });
    expect(await dispatch(store, queues, { kind: 'caller-enqueued', queueId: 'tax' }, 1000)).toEqual([]);
    expect(await store.position('tax', 'c1')).toBe(1);
  });

  it('no answer → agent not-ready(no-answer), caller back at its old position, next agent tried', async () => {
    const store = new MemoryAcdStore();
    await readyAgent(store, 'a1', 100);
    for (const [c, t] of [['c1', 1000], ['c2', 2000], ['c3', 3000]] as const) {
      await store.enqueue('q12345', { callId: c, priority: 0, enqueuedAt: t });
    }
    const [a] = await dispatch(store, queues, { kind: 'agent-ready', agentId: 'a1' }, 4000);
    expect(a?.entry.callId).toBe('c1');
    await store.applyAgentEvent('a1', { type: 'ring', callId: 'c1', ringUntil: 24_000 }, 4000);
    await store.enqueue('q12345', { callId: 'c4', priority: 0, enqueuedAt: 5000 });
    const r = await noAnswer(store, a!, 24_000);
    expect(r.ok && r.agent.state).toEqual({ status: 'not-ready', reason: 'no-answer' });
    expect(await store.position('q12345', 'c1')).toBe(1);
    expect((await store.waiting('q12345')).map((e) => e.callId)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect((await store.peek('q12345'))?.enqueuedAt).toBe(1000);
    await readyAgent(store, 'a2', 24_000);
    const next = await dispatch(store, queues, { kind: 'agent-ready', agentId: 'a2' }, 24_000);
    expect(next.map((x) => [x.agent.id, x.entry.callId])).toEqual([['a2', 'c1']]);
  });

  it('caller hangs up while ringing → agent ready again with its idle place', async () => {
    const store = new MemoryAcdStore();
    await readyAgent(store, 'a1', 100);
    await store.enqueue('q12345', { callId: 'c1', priority: 0, enqueuedAt: 1000 });
    const [a] = await dispatch(store, queues, { kind: 'caller-enqueued', queueId: 'q12345' }, 1000);
    expect(await callerGone(store, a!, 1500)).toBe(true);
    expect(await store.getAgent('a1')).toMatchObject({ state: { status: 'ready' }, idleSince: 100 });
  });

  it('answer → hang up → wrap-up for wrapUpSeconds → ready → next caller', async () => {
    const store = new MemoryAcdStore();
    await readyAgent(store, 'a1', 100);
    await store.enqueue('q12345', { callId: 'c1', priority: 0, enqueuedAt: 1000 });
    await store.enqueue('q12345', { callId: 'c2', priority: 0, enqueuedAt: 1001 });
    await dispatch(store, queues, { kind: 'caller-enqueued', queueId: 'q12345' }, 1001);
    await store.applyAgentEvent('a1', { type: 'answer', callId: 'c1' }, 3000);
    const wrap = await store.applyAgentEvent('a1', { type: 'hangup', callId: 'c1', wrapUpSeconds: queues('q12345')!.wrapUpSeconds }, 60_000);
    expect(wrap.ok && wrap.agent.state).toMatchObject({ status: 'wrap-up', until: 75_000 });
    expect(await dispatch(store, queues, { kind: 'agent-ready', agentId: 'a1' }, 60_000)).toEqual([]);
    expect(wrap.ok && isWrapUpDue(wrap.agent, 74_999)).toBe(false);
    expect(wrap.ok && isWrapUpDue(wrap.agent, 75_000)).toBe(true);
    expect((await store.applyAgentEvent('a1', { type: 'wrap-up-done' }, 75_000)).ok).toBe(true);
    const got = await dispatch(store, queues, { kind: 'agent-ready', agentId: 'a1' }, 75_000);
    expect(got.map((x) => x.entry.callId)).toEqual(['c2']);
  });

  it('an overflowed caller keeps its seniority in the pool', async () => {
    const store = new MemoryAcdStore();
    await store.enqueue('pool', { callId: 'p1', priority: 0, enqueuedAt: 30_000 });
    await store.enqueue('q12345', { callId: 'c1', priority: 0, enqueuedAt: 1000 });
    await store.moveEntry('q12345', 'pool', 'c1', 61_000);
    await readyAgent(store, 'a1', 100, {}, ['pool']);
    const got = await dispatch(store, queues, { kind: 'agent-ready', agentId: 'a1' }, 62_000);
    expect(got[0]?.entry).toMatchObject({ callId: 'c1', queueId: 'pool', seniority: 1000, enqueuedAt: 61_000 });
  });

  it('unknown agent or queue → nothing to do', async () => {
    const store = new MemoryAcdStore();
    expect(await dispatch(store, queues, { kind: 'agent-ready', agentId: 'ghost' }, 0)).toEqual([]);
    expect(await dispatch(store, queues, { kind: 'caller-enqueued', queueId: 'ghost' }, 0)).toEqual([]);
  });
});

describe('sweepAgents', () => {
  it('ends due wrap-ups and frees expired reservations, nothing else', async () => {
    const store = new MemoryAcdStore();
    await readyAgent(store, 'wrap', 1);
    await readyAgent(store, 'held', 2);
    await readyAgent(store, 'idle', 3);
    await store.enqueue('q12345', { callId: 'c1', priority: 0, enqueuedAt: 10 });
    await store.enqueue('q12345', { callId: 'c2', priority: 0, enqueuedAt: 11 });
    await dispatch(store, queues, { kind: 'caller-enqueued', queueId: 'q12345' }, 20, { reserveMs: 5_000 });
    await store.applyAgentEvent('wrap', { type: 'answer', callId: 'c1' }, 30);
    await store.applyAgentEvent('wrap', { type: 'hangup', callId: 'c1', wrapUpSeconds: 2 }, 1_000);
    expect(await sweepAgents(store, 2_999)).toEqual([]);
    expect((await sweepAgents(store, 3_000)).map((a) => a.id)).toEqual(['wrap']);
    expect((await sweepAgents(store, 5_020)).map((a) => a.id)).toEqual(['held']);
    expect((await store.getAgent('held'))?.idleSince).toBe(2);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { AgentOperationError } from '../../../src/app/acd/acd-model.js';
import { harness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.acd.stop();
  expect(h.errors).toEqual([]);
});

async function refusal(p: Promise<unknown>): Promise<AgentOperationError> {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof AgentOperationError)) throw new Error(`expected AgentOperationError, got ${String(err)}`);
  return err;
}

describe('AcdService: agent operations', () => {
  it('starts with every registry agent logged out', async () => {
    h = await harness();
    expect((await h.acd.agents()).map((a) => [a.id, a.status])).toEqual([
      ['b1', 'logged-out'], ['g1', 'logged-out'], ['g2', 'logged-out'], ['p1', 'logged-out'],
    ]);
  });

  it('login → not-ready(login) → ready → break → ready → logout', async () => {
    h = await harness();
    expect(await h.acd.login('g1')).toMatchObject({ id: 'g1', name: '张敏', dial: 'user/1001', status: 'not-ready', reason: 'login' });
    expect(await h.acd.ready('g1')).toMatchObject({ status: 'ready' });
    expect(await h.acd.notReady('g1', 'after-call-work')).toMatchObject({ status: 'not-ready', reason: 'after-call-work' });
    expect(await h.acd.notReady('g1', 'meeting')).toMatchObject({ status: 'not-ready', reason: 'meeting' });
    expect(await h.acd.ready('g1')).toMatchObject({ status: 'ready' });
    expect(await h.acd.logout('g1')).toMatchObject({ status: 'logged-out' });
  });

  it('unknown agent: HOTLINE_ERR_UNKNOWN_AGENT', async () => {
    h = await harness();
    for (const p of [h.acd.login('x'), h.acd.ready('x'), h.acd.agent('x'), h.acd.logout('x')]) {
      expect(await refusal(p)).toMatchObject({ code: 'HOTLINE_ERR_UNKNOWN_AGENT', agentId: 'x' });
    }
  });

  it('illegal transitions: HOTLINE_ERR_AGENT_STATE with the current state', async () => {
    h = await harness();
    expect(await refusal(h.acd.ready('g1'))).toMatchObject({ code: 'HOTLINE_ERR_AGENT_STATE', state: 'logged-out' });
    await h.acd.login('g1');
    expect(await refusal(h.acd.login('g1'))).toMatchObject({ code: 'HOTLINE_ERR_AGENT_STATE', state: 'not-ready' });
  });

  it('logout is refused while ringing or on a call', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    expect(await refusal(h.acd.logout('g1'))).toMatchObject({ code: 'HOTLINE_ERR_AGENT_STATE', state: 'ringing' });
    await h.acd.agentAnswered('c1', 'g1');
    expect(await refusal(h.acd.logout('g1'))).toMatchObject({ code: 'HOTLINE_ERR_AGENT_STATE', state: 'on-call' });
    expect(await refusal(h.acd.notReady('g1', 'break'))).toMatchObject({ state: 'on-call' });
  });
});

describe('AcdService: status (position and estimated wait)', () => {
  it('uses the fallback handle time before any history, then the moving average', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    await h.acd.agentAnswered('c1', 'g1');
    await h.call('c2');
    await h.call('c3');
    // one agent serving, fallback 180 s: position 2 → 360 s → 6 min
    expect(await h.acd.status('c3')).toEqual({ queueId: 'general', position: 2, estimatedWaitMinutes: 6 });
    await h.clock.tick(45_000);
    await h.acd.conversationEnded('c1', 'g1');
    // handle = 45 s talk + 15 s wrap-up = 60 s; c2 takes g1 at wrap-up end, c3 is next: 1 × 60 s
    await h.clock.tick(15_000);
    expect(await h.acd.status('c3')).toEqual({ queueId: 'general', position: 1, estimatedWaitMinutes: 1 });
  });

  it('says nothing about the wait when nobody serves the queue, and null once not waiting', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.call('c1');
    expect(await h.acd.status('c1')).toEqual({ queueId: 'general', position: 1, estimatedWaitMinutes: null });
    expect(await h.acd.status('unknown')).toBeNull();
  });
});

describe('AcdService: read models', () => {
  it('queues: waiting count, oldest wait, agents by state, open', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.readyAgent('p1');
    await h.call('c1');
    await h.clock.tick(30_000);
    await h.call('c2');
    await h.clock.tick(5_000);
    const general = (await h.acd.queues()).find((q) => q.id === 'general');
    expect(general).toMatchObject({
      name: '12345 综合', open: true, overflow: 'backup', waiting: 2, oldestWaitSeconds: 35,
      agents: { 'not-ready': 1, 'logged-out': 1, 'ready': 0 },
    });
    expect((await h.acd.queues()).find((q) => q.id === 'pool')).toMatchObject({ waiting: 0, oldestWaitSeconds: null, agents: { ready: 1 } });
  });

  it('waiting calls: line, caller, queue, position, waited seconds in serving order', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.call('c1', 'general', { line: '12319', caller: '13812345678' });
    await h.clock.tick(12_000);
    await h.call('c2', 'general', { priority: 1 });
    await h.clock.tick(3_000);
    expect(await h.acd.waitingCalls()).toEqual([
      { callId: 'c2', queueId: 'general', line: '12345', caller: null, position: 1, priority: 1, waitedSeconds: 3 },
      { callId: 'c1', queueId: 'general', line: '12319', caller: '13812345678', position: 2, priority: 0, waitedSeconds: 15 },
    ]);
  });
});

describe('AcdService: domain events', () => {
  it('tells the story of a call in order', async () => {
    h = await harness();
    await h.readyAgent('g1');
    h.events.length = 0;
    await h.call('c1');
    await h.acd.idle();
    await h.clock.tick(4_000);
    await h.acd.agentAnswered('c1', 'g1');
    const t0 = h.clock.now() - 4_000;
    expect(h.events).toEqual([
      { type: 'enqueued', at: t0, callId: 'c1', queueId: 'general', line: '12345', skipped: [] },
      { type: 'assigned', at: t0, callId: 'c1', queueId: 'general', agentId: 'g1', reservedAt: t0 },
      { type: 'agent-state', at: t0, agentId: 'g1', status: 'ringing', callId: 'c1' },
      { type: 'agent-state', at: t0 + 4_000, agentId: 'g1', status: 'on-call', callId: 'c1' },
      { type: 'answered', at: t0 + 4_000, callId: 'c1', queueId: 'general', agentId: 'g1', waitedMs: 4_000 },
    ]);
  });
});

describe('AcdService: stop', () => {
  it('cancels every timer it armed', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.call('c1');
    expect(h.clock.armed().length).toBeGreaterThan(0);
    await h.acd.stop();
    expect(h.clock.armed()).toEqual([]);
  });
});

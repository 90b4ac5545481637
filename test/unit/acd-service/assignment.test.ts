import { afterEach, describe, expect, it } from 'vitest';
import { assigned, harness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.acd.stop();
  expect(h.errors).toEqual([]);
});

async function status(agentId: string): Promise<string> {
  return (await h.acd.agent(agentId)).status;
}

describe('AcdService: assignment', () => {
  it('a waiting caller is offered to an agent the moment the agent becomes ready', async () => {
    h = await harness();
    await h.acd.login('g1');
    const e = await h.call('c1');
    expect(e).toEqual({ queueId: 'general', skipped: [], position: 1 });
    await h.acd.idle();
    expect(h.notices('c1')).toEqual([]);

    await h.acd.ready('g1');
    expect(h.notices('c1')).toEqual([
      { kind: 'assigned', queueId: 'general', agent: { id: 'g1', name: '张敏', dial: 'user/1001' }, ringSeconds: 20 },
    ]);
    expect(await h.acd.agent('g1')).toMatchObject({ status: 'ringing', callId: 'c1', queueId: 'general' });
    expect(await h.acd.status('c1')).toBeNull();
  });

  it('a caller arriving with an agent ready is offered right after enqueue resolves, never before', async () => {
    h = await harness();
    await h.readyAgent('g1');
    const e = await h.call('c1');
    const seenAtResolve = h.notices('c1').length;
    await h.acd.idle();
    expect(e.position).toBe(1);
    expect(seenAtResolve).toBe(0);
    expect(assigned(h, 'c1')).toEqual(['g1']);
  });

  it('keeps the reservation alive while ringing: ringSeconds plus a grace', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    const a = await h.store.getAgent('g1');
    expect(a?.state).toMatchObject({ status: 'ringing', reservedUntil: h.clock.now() + 20_000 + 10_000 });
  });

  it('two callers and one agent: one assignment, the other keeps waiting (no double booking)', async () => {
    h = await harness();
    await h.acd.login('g1');
    await Promise.all([h.call('c1'), h.call('c2'), h.acd.ready('g1')]);
    await h.acd.idle();
    expect([...assigned(h, 'c1'), ...assigned(h, 'c2')]).toEqual(['g1']);
    expect(assigned(h, 'c1')).toEqual(['g1']);
    expect(await h.acd.status('c2')).toMatchObject({ queueId: 'general', position: 1 });
  });

  it('no answer: the agent goes not-ready (no-answer), the caller keeps its place and gets the next agent', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    h.clock.advance(1000);
    await h.call('c2');
    await h.acd.login('g2');
    await h.acd.idle();

    await h.acd.agentNoAnswer('c1', 'g1');
    await h.acd.idle();
    expect(await h.acd.agent('g1')).toMatchObject({ status: 'not-ready', reason: 'no-answer' });
    expect(await h.acd.status('c1')).toMatchObject({ position: 1 });
    expect(await h.acd.status('c2')).toMatchObject({ position: 2 });

    await h.acd.ready('g2');
    expect(assigned(h, 'c1')).toEqual(['g1', 'g2']);
    expect(assigned(h, 'c2')).toEqual([]);
  });

  it('no answer with another agent ready: the caller is offered to it right away', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    await h.readyAgent('g2');
    await h.acd.agentNoAnswer('c1', 'g1');
    await h.acd.idle();
    expect(assigned(h, 'c1')).toEqual(['g1', 'g2']);
  });

  it('after the conversation the agent wraps up for wrapUpSeconds, then takes the next caller', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    await h.acd.agentAnswered('c1', 'g1');
    expect(await status('g1')).toBe('on-call');
    await h.call('c2');
    await h.clock.tick(60_000);

    await h.acd.conversationEnded('c1', 'g1');
    await h.acd.idle();
    expect(await h.acd.agent('g1')).toMatchObject({ status: 'wrap-up', wrapUpUntil: h.clock.now() + 15_000 });
    await h.clock.tick(14_999);
    expect(await status('g1')).toBe('wrap-up');
    expect(assigned(h, 'c2')).toEqual([]);
    await h.clock.tick(1);
    expect(assigned(h, 'c2')).toEqual(['g1']);
    expect(await status('g1')).toBe('ringing');
  });

  it('an agent who presses ready during wrap-up is not touched by the wrap-up timer later', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    await h.acd.agentAnswered('c1', 'g1');
    await h.acd.conversationEnded('c1', 'g1');
    await h.acd.idle();
    await h.acd.notReady('g1', 'break');
    await h.clock.tick(15_000);
    expect(await h.acd.agent('g1')).toMatchObject({ status: 'not-ready', reason: 'break' });
  });

  it('the caller leaving while the agent rings frees the agent, keeping its longest-idle place', async () => {
    h = await harness();
    await h.readyAgent('g1');
    const idleSince = (await h.store.getAgent('g1'))?.idleSince;
    h.clock.advance(5000);
    await h.call('c1');
    await h.acd.idle();
    expect(await status('g1')).toBe('ringing');
    await h.acd.callerLeft('c1');
    await h.acd.idle();
    const a = await h.store.getAgent('g1');
    expect(a?.state.status).toBe('ready');
    expect(a?.idleSince).toBe(idleSince);
    expect(h.events.filter((e) => e.type === 'left')).toMatchObject([{ callId: 'c1', while: 'ringing', queueId: 'general' }]);
  });

  it('a caller leaving while waiting is gone from the queue and its overflow timer is off', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.call('c1');
    await h.acd.callerLeft('c1');
    expect(await h.store.length('general')).toBe(0);
    expect(h.clock.armed().filter((t) => t === h.clock.now() + 120_000)).toEqual([]);
    await h.clock.tick(200_000);
    expect(h.notices('c1')).toEqual([]);
  });

  it('a session ending during the conversation (callerLeft) ends it like conversationEnded', async () => {
    h = await harness();
    await h.readyAgent('p1');
    await h.call('c1', 'pool');
    await h.acd.idle();
    await h.acd.agentAnswered('c1', 'p1');
    await h.acd.callerLeft('c1');
    await h.acd.idle();
    // pool has wrapUpSeconds 0: straight back to ready
    expect(await status('p1')).toBe('ready');
  });

  it('late or mismatched reports are ignored, not applied to another call', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    await h.acd.agentNoAnswer('c1', 'g2');
    await h.acd.agentAnswered('nope', 'g1');
    await h.acd.conversationEnded('c1', 'g2');
    expect(await status('g1')).toBe('ringing');
  });
});

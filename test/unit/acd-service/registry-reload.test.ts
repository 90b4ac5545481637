/**
 * The ACD under a registry reload (AcdService.applyRegistry) over the memory store and a manual
 * clock: waiting callers in a queue now closed or removed move by the overflow rules, a removed
 * agent keeps the call it rings for and leaves after it, a re-skilled agent keeps its state,
 * an added agent can log in and take calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Registry } from '../../../src/config/schema.js';
import { queue } from '../../support/registry-builder.js';
import { assigned, harness, smallCity, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.acd.stop();
  expect(h.errors).toEqual([]);
});

const overflowed = (callId: string) => h.notices(callId).filter((n) => n.kind === 'overflowed');

/** smallCity with `change` applied to a fresh copy. */
function edited(change: (r: Registry) => void): Registry {
  const r = smallCity();
  change(r);
  return r;
}

describe('AcdService.applyRegistry', () => {
  it('queue hours changed so that it is closed now: its waiting callers move to its overflow at once, seniority kept', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.acd.login('b1');
    await h.call('c1');
    await h.clock.tick(1_000);
    await h.call('c2');
    expect(overflowed('c1')).toEqual([]);
    await h.acd.applyRegistry(edited((r) => {
      r.schedules['shut-today'] = { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], open: '00:00', close: '24:00' }], closedDates: ['2026-03-03'] };
      r.queues['general'] = { ...r.queues['general']!, schedule: 'shut-today' };
    }));
    expect(overflowed('c1')).toEqual([{ kind: 'overflowed', from: 'general', to: 'backup', reason: 'closed' }]);
    expect(overflowed('c2')).toEqual([{ kind: 'overflowed', from: 'general', to: 'backup', reason: 'closed' }]);
    expect(await h.acd.status('c1')).toMatchObject({ queueId: 'backup', position: 1 });
    expect(await h.acd.status('c2')).toMatchObject({ queueId: 'backup', position: 2 });
    // A new caller for the closed queue lands in backup on arrival.
    expect(await h.call('c3')).toMatchObject({ queueId: 'backup', skipped: [{ queueId: 'general', reason: 'closed' }] });
  });

  it('a queue removed: its callers go to its old overflow when that still exists, else to the pool', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.acd.login('b1');
    await h.call('c1');
    await h.call('c2', 'backup');
    await h.acd.applyRegistry(edited((r) => {
      delete r.queues['backup'];
      r.queues['general'] = { ...r.queues['general']!, overflow: 'pool' };
      r.agents = r.agents.map((a) => (a.id === 'b1' ? { ...a, queues: ['pool'] } : a));
    }));
    expect(overflowed('c2')).toEqual([{ kind: 'overflowed', from: 'backup', to: 'pool', reason: 'closed' }]);
    expect(overflowed('c1')).toEqual([]);
    expect((await h.acd.queues()).map((q) => q.id)).toEqual(['general', 'pool']);
  });

  it('an agent removed while ringing: the call goes on, is answered and ends normally; then the agent is logged out and gone', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.readyAgent('g2');
    await h.call('c1');
    await h.acd.idle();
    const ringing = assigned(h, 'c1')[0]!;
    const other = ringing === 'g1' ? 'g2' : 'g1';
    expect((await h.acd.agent(ringing)).status).toBe('ringing');
    await h.acd.applyRegistry(edited((r) => { r.agents = r.agents.filter((a) => a.id !== ringing); }));
    expect((await h.acd.agent(ringing)).status).toBe('ringing');
    expect(h.acd.retiringAgents).toEqual([ringing]);
    // The other agent was not logged out: it still exists.
    expect((await h.acd.agent(other)).status).toBe('ready');
    await h.acd.agentAnswered('c1', ringing);
    expect((await h.acd.agent(ringing)).status).toBe('on-call');
    await h.acd.conversationEnded('c1', ringing);
    await h.acd.idle();
    expect(h.acd.retiringAgents).toEqual([]);
    expect(h.events.filter((e) => e.type === 'agent-state' && e.agentId === ringing).map((e) => e.type === 'agent-state' && e.status))
      .toEqual(['not-ready', 'ready', 'ringing', 'on-call', 'wrap-up', 'logged-out']);
    await expect(h.acd.agent(ringing)).rejects.toMatchObject({ code: 'HOTLINE_ERR_UNKNOWN_AGENT' });
    await expect(h.acd.login(ringing)).rejects.toMatchObject({ code: 'HOTLINE_ERR_UNKNOWN_AGENT' });
    expect((await h.acd.agents()).map((a) => a.id)).not.toContain(ringing);
    // The next caller goes to the agent who is still there.
    await h.call('c2');
    await h.acd.idle();
    expect(assigned(h, 'c2')).toEqual([other]);
  });

  it('an idle agent removed is logged out at once; a removed agent ringing that does not answer is logged out, its caller waits on', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.acd.login('g2');
    await h.call('c1');
    await h.acd.idle();
    expect(assigned(h, 'c1')).toEqual(['g1']);
    await h.acd.applyRegistry(edited((r) => { r.agents = r.agents.filter((a) => a.id !== 'g1' && a.id !== 'p1'); }));
    await expect(h.acd.agent('p1')).rejects.toMatchObject({ code: 'HOTLINE_ERR_UNKNOWN_AGENT' });
    await h.acd.agentNoAnswer('c1', 'g1');
    await h.acd.idle();
    await expect(h.acd.agent('g1')).rejects.toMatchObject({ code: 'HOTLINE_ERR_UNKNOWN_AGENT' });
    expect(await h.acd.status('c1')).toMatchObject({ queueId: 'general', position: 1 });
    expect((await h.acd.agent('g2')).status).toBe('not-ready');
  });

  it('the caller hangs up while a removed (or re-skilled) agent rings: the agent is freed, not left ringing', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.readyAgent('g2');
    await h.call('c1');
    await h.call('c2');
    await h.acd.idle();
    const [first] = assigned(h, 'c1');
    const [second] = assigned(h, 'c2');
    // `first` removed, `second` re-skilled: both profiles change, so both versions move.
    await h.acd.applyRegistry(edited((r) => {
      r.agents = r.agents.filter((a) => a.id !== first).map((a) => (a.id === second ? { ...a, skills: { general: 3 } } : a));
    }));
    await h.acd.callerLeft('c1');
    await h.acd.callerLeft('c2');
    await h.acd.idle();
    await expect(h.acd.agent(first!)).rejects.toMatchObject({ code: 'HOTLINE_ERR_UNKNOWN_AGENT' });
    expect((await h.acd.agent(second!)).status).toBe('ready');
  });

  it('re-skilled and added agents: states kept, the new queue served at once', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.acd.login('b1');
    await h.call('c1', 'backup');
    await h.acd.idle();
    expect(assigned(h, 'c1')).toEqual([]);
    await h.acd.applyRegistry(edited((r) => {
      r.agents = [...r.agents.map((a) => (a.id === 'g1' ? { ...a, queues: ['general', 'backup'] } : a)),
        { id: 'n1', name: '新人', dial: 'user/1009', skills: {}, queues: ['pool'] }];
    }));
    // g1 was ready and stays so; now serving backup, it is offered the waiting caller.
    expect(assigned(h, 'c1')).toEqual(['g1']);
    expect((await h.acd.agent('b1')).status).toBe('not-ready');
    expect((await h.acd.login('n1')).status).toBe('not-ready');
  });

  it('schedule watches follow the new registry: a queue closing later by its new hours moves its callers then', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.acd.login('b1');
    await h.call('c1');
    await h.acd.applyRegistry(edited((r) => {
      r.schedules['short'] = { weekly: [{ days: ['tue'], open: '09:00', close: '10:01' }] };
      r.queues['general'] = { ...r.queues['general']!, schedule: 'short' };
    }));
    expect(overflowed('c1')).toEqual([]);
    await h.clock.tick(60_000 - 1);
    expect(overflowed('c1')).toEqual([]);
    await h.clock.tick(1);
    expect(overflowed('c1')).toEqual([{ kind: 'overflowed', from: 'general', to: 'backup', reason: 'closed' }]);
  });

  it('a caller put back by a no-answer into a queue removed meanwhile moves on at once', async () => {
    h = await harness({ registry: edited((r) => { r.queues['extra'] = queue('额外', '24x7', { overflow: 'backup' }); r.agents[0] = { ...r.agents[0]!, queues: ['general', 'extra'] }; }) });
    await h.readyAgent('g1');
    await h.acd.login('b1');
    await h.call('c1', 'extra');
    await h.acd.idle();
    expect(assigned(h, 'c1')).toEqual(['g1']);
    await h.acd.applyRegistry(smallCity());
    await h.acd.agentNoAnswer('c1', 'g1');
    await h.acd.idle();
    expect(overflowed('c1')).toEqual([{ kind: 'overflowed', from: 'extra', to: 'backup', reason: 'closed' }]);
    expect(await h.acd.status('c1')).toMatchObject({ queueId: 'backup' });
  });
});

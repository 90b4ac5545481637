/**
 * Whole calls through a real FreeSWITCH and the real router (issue 3's e2e list): sipp callers
 * dial the carrier profile, sipp agents answer at the registry's dial strings, and the router's
 * records and queues say what happened. One FreeSWITCH + router for the file, scenarios in turn.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { startStack, type Stack } from '../support/freeswitch/stack.js';
import { SippCalls } from '../support/sipp/calls.js';
import { agentTo, recordOf } from './router-api.js';
import { waitFor } from '../support/freeswitch/processes.js';

const req = e2eRequirements('e2e calls');

describe.skipIf(req.skip)('calls through FreeSWITCH and the router', () => {
  let stack: Stack | undefined;
  let calls: SippCalls;
  const s = (): Stack => {
    if (stack === undefined) throw new Error('stack not started');
    return stack;
  };

  beforeAll(async () => {
    stack = await startStack(req.install!, { events: ['PLAYBACK_START'] });
    calls = new SippCalls(req.sipp!, stack);
  }, 60_000);
  afterEach(async () => { await calls.killAll(); });
  afterAll(async () => { await stack?.stop(); }, 30_000);

  it('12345: a ready agent answers, the caller presses 1 in the survey', async () => {
    const { router } = s();
    await agentTo(router, '1001', 'ready');
    await agentTo(router, '1002', 'logged-out');
    const since = Date.now();
    const agent = await calls.agent('1001', 2_000);
    const caller = await calls.caller({ number: '12345', scenario: 'caller-survey-dtmf.xml', vars: { DTMF_DELAY_MS: 4_500, DIGIT: 1 } });
    const [a, c] = await Promise.all([agent.done, caller.done]);
    expect(a.code, a.log).toBe(0);
    expect(c.code, `${c.log}\n${router.logTail()}`).toBe(0);
    const record = await recordOf(router, '12345', since);
    expect(record).toMatchObject({ outcome: 'answered', agentId: '1001', survey: 'satisfied', queue: 'general' });
    expect(record.waitSeconds).toBeGreaterThan(0);
  }, 60_000);

  it('12319 (merged, in its transition period): the caller hears the transition prompt, then waits', async () => {
    const { router, fs, promptsDir } = s();
    // Nobody logged in anywhere: the call waits in the pool until the caller gives up, 3 s
    // after the 4.7 s prompt (more than shortAbandonSeconds: a real abandon).
    for (const id of ['1001', '1002']) await agentTo(router, id, 'logged-out');
    const since = Date.now();
    const caller = await calls.caller({ number: '12319', scenario: 'caller-abandons.xml', vars: { HANGUP_AFTER_MS: 7_500 } });
    const c = await caller.done;
    expect(c.code, `${c.log}\n${router.logTail()}`).toBe(0);
    const record = await recordOf(router, '12319', since);
    expect(record).toMatchObject({ mode: 'merged', outcome: 'abandoned', queue: 'pool' });
    expect(record.agentId).toBeUndefined();
    expect(record.hops).toMatchObject([{ queue: 'general', reason: 'no-agents' }]);
    // FreeSWITCH's own word that the prompt played on this very channel.
    const played = fs.events.filter((e) => e.name === 'PLAYBACK_START' && e.headers['Unique-ID'] === record.fsUuid)
      .map((e) => e.headers['Playback-File-Path']);
    expect(played[0]).toBe(`${promptsDir}/moved.wav`);
    expect(record.queuedAt).toBeGreaterThan(record.arrivedAt);
  }, 60_000);

  it('12345: nobody ready in the queue for maxWaitSeconds (3 s) → overflow to the pool, answered there', async () => {
    const { router } = s();
    await agentTo(router, '1001', 'not-ready');
    await agentTo(router, '1002', 'ready');
    const since = Date.now();
    const agent = await calls.agent('1002', 1_000);
    // 3 s in the queue + 1 s talking, then the survey is playing.
    const caller = await calls.caller({ number: '12345', scenario: 'caller-survey-dtmf.xml', vars: { DTMF_DELAY_MS: 6_500, DIGIT: 1 } });
    const [a, c] = await Promise.all([agent.done, caller.done]);
    expect(a.code, a.log).toBe(0);
    expect(c.code, `${c.log}\n${router.logTail()}`).toBe(0);
    const record = await recordOf(router, '12345', since);
    expect(record).toMatchObject({ outcome: 'answered', agentId: '1002', queue: 'pool', survey: 'satisfied' });
    expect(record.hops).toMatchObject([{ queue: 'general', reason: 'max-wait' }]);
    expect(record.waitSeconds).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('12328 (dual): no agent logged in for its queue → straight to the pool, answered there', async () => {
    const { router } = s();
    await agentTo(router, '1002', 'ready');
    await agentTo(router, '1003', 'logged-out');
    const since = Date.now();
    const agent = await calls.agent('1002', 1_000);
    const caller = await calls.caller({ number: '12328', scenario: 'caller-survey-dtmf.xml', vars: { DTMF_DELAY_MS: 3_500, DIGIT: 2 } });
    const [a, c] = await Promise.all([agent.done, caller.done]);
    expect(a.code, a.log).toBe(0);
    expect(c.code, `${c.log}\n${router.logTail()}`).toBe(0);
    const record = await recordOf(router, '12328', since);
    expect(record).toMatchObject({ mode: 'dual', outcome: 'answered', agentId: '1002', queue: 'pool', survey: 'basically-satisfied' });
    expect(record.hops).toMatchObject([{ queue: 'transport', reason: 'no-agents' }]);
    // Nobody left waiting, and FreeSWITCH has no channel left over.
    expect((await router.get<{ calls: unknown[] }>('/api/calls/waiting')).calls).toEqual([]);
    // The session count, not `show channels`: that reads the core db, whose rows lag behind.
    let status = '';
    await waitFor('no sessions left', async () => {
      status = await s().fs.api('status');
      return /\b0 session\(s\) - peak/.test(status) ? true : undefined;
    }, 5_000, 200).catch((err: unknown) => { throw new Error(`${String(err)}\n${status}`, { cause: err }); });
  }, 60_000);
});

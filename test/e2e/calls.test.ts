/**
 * Whole calls through a real FreeSWITCH and the real router (issue 3's e2e list): sipp callers
 * dial the carrier profile, sipp agents answer at the registry's dial strings, and the router's
 * records and queues say what happened. One FreeSWITCH + router for the file, scenarios in turn.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { startStack, type Stack } from '../support/freeswitch/stack.js';
import { SippCalls } from '../support/sipp/calls.js';
import { recordOf } from './records.js';

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
    expect(await router.post('/api/agents/1001/login')).toBe(200);
    expect(await router.post('/api/agents/1001/ready')).toBe(200);
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
});

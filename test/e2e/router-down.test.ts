/**
 * The router is not a single point of failure: killed (SIGKILL) while a call is
 * bridged, that conversation goes on; a new call still reaches a 7×24 pool agent through the
 * dialplan's fallback; and the first caller is not left parked forever once the agent hangs up.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { startStack, type Stack } from '../support/freeswitch/stack.js';
import { SippCalls } from '../support/sipp/calls.js';
import { agentTo } from './router-api.js';

const req = e2eRequirements('e2e router down');

describe.skipIf(req.skip)('router killed mid-call', () => {
  let stack: Stack | undefined;
  let calls: SippCalls;

  beforeAll(async () => {
    stack = await startStack(req.install!);
    calls = new SippCalls(req.sipp!, stack);
  }, 60_000);
  afterEach(async () => { await calls.killAll(); });
  afterAll(async () => { await stack?.stop(); }, 30_000);

  it('keeps the bridged call, sends a new call to the pool, and strands nobody', async () => {
    if (stack === undefined) throw new Error('stack not started');
    const { router, fs } = stack;
    await agentTo(router, '1001', 'ready');
    await agentTo(router, '1002', 'ready');
    const TALK_MS = 8_000;
    const agent1 = await calls.agent('1001', TALK_MS);
    const caller1 = await calls.caller({ number: '12345', label: 'caller1' });
    await waitFor('agent 1001 on the call', async () => {
      const { agents } = await router.get<{ agents: { id: string; status: string }[] }>('/api/agents');
      return agents.find((a) => a.id === '1001' && a.status === 'on-call');
    }, 10_000, 100);
    await router.process.kill();

    // A new call while the router is dead: `socket` cannot connect, the dialplan's fallback
    // rings the pool's agents (1002) directly.
    const agent2 = await calls.agent('1002', 1_000);
    const caller2 = await calls.caller({ number: '12345', label: 'caller2' });
    const [a2, c2] = await Promise.all([agent2.done, caller2.done]);
    expect(a2.code, a2.log).toBe(0);
    expect(c2.code, `${c2.log}\n${fs.logTail()}`).toBe(0);
    expect(caller1.running, 'the first caller must still be talking').toBe(true);
    expect(fs.log()).toContain('hotline router unreachable: call to 12345');

    // The first conversation ends when its agent hangs up, not before.
    const a1 = await agent1.done;
    expect(a1.code, a1.log).toBe(0);
    expect(a1.elapsedMs).toBeGreaterThanOrEqual(TALK_MS);
    // …and the caller is then hung up, not parked with nobody to run the survey.
    const c1 = await Promise.race([
      caller1.done,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 8_000)),
    ]);
    const channels = await fs.api('show channels');
    expect(c1, `first caller still connected 8 s after the agent hung up:\n${channels}\n${fs.logTail(4_000)}`).toBeDefined();
    expect(c1?.code, c1?.log).toBe(0);
    expect(c1!.exitedAt).toBeGreaterThanOrEqual(a1.exitedAt);
    // It was the dialplan fallback's guard that ended it (the bridge had returned into the
    // dead socket's park; park_after_bridge would have parked the caller for good).
    expect(fs.log()).toContain('hotline router gone after the conversation: call to 12345 ends');
  }, 90_000);
});

/**
 * A caller FreeSWITCH strands in the `socket` application: the router stalls (SIGSTOP) so the
 * handshake is not done within mod_event_socket's 25 s read; the listener ends before the
 * session parks, the park takes control itself and the caller would ring for good. Once the
 * router runs again, its sweep over the inbound ESL hands the caller to the dialplan fallback,
 * where the 7×24 pool's agent answers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { startStack, type Stack } from '../support/freeswitch/stack.js';
import { SippCalls } from '../support/sipp/calls.js';

const req = e2eRequirements('e2e stranded caller');

interface Channel { uuid: string; application: string; callstate: string }

describe.skipIf(req.skip)('caller stranded in the socket application', () => {
  let stack: Stack | undefined;
  let calls: SippCalls;

  beforeAll(async () => {
    stack = await startStack(req.install!);
    calls = new SippCalls(req.sipp!, stack);
  }, 60_000);
  afterEach(async () => {
    if (stack !== undefined) { try { process.kill(stack.router.process.pid, 'SIGCONT'); } catch { /* gone */ } }
    await calls.killAll();
  });
  afterAll(async () => { await stack?.stop(); }, 30_000);

  it('is handed to the fallback by the router once it runs again, and the pool answers', async () => {
    if (stack === undefined) throw new Error('stack not started');
    const { router, fs } = stack;
    const socketChannels = async (): Promise<Channel[]> =>
      ((JSON.parse(await fs.api('show channels as json')) as { rows?: Channel[] }).rows ?? []).filter((c) => c.application === 'socket');

    const pool = await calls.agent('1002', 1_000, 120_000);
    process.kill(router.process.pid, 'SIGSTOP');
    const caller = await calls.caller({ number: '12345', label: 'stranded', limitMs: 120_000 });
    // FreeSWITCH's listener gives up after 25 s without the router's `connect`; the caller stays
    // in `socket`, ringing, with nobody in control.
    await waitFor('Socket Error! in the FreeSWITCH log', () => Promise.resolve(fs.log().includes('Socket Error!') ? true : undefined), 40_000, 500);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await socketChannels()).map((c) => c.callstate)).toEqual(['RINGING']);

    process.kill(router.process.pid, 'SIGCONT');
    const [p, c] = await Promise.all([pool.done, caller.done]);
    expect(c.code, `${c.log}\n${fs.logTail(4_000)}`).toBe(0);
    expect(p.code, p.log).toBe(0);
    expect(fs.log()).toContain('hotline router unreachable: call to 12345');
    expect(await socketChannels()).toEqual([]);
    const metrics = await router.getText('/metrics');
    expect(metrics).toMatch(/^hotline_stranded_callers_rescued_total 1$/m);
    expect(router.logTail()).toContain('caller left ringing in the socket application with no router');
  }, 150_000);
});

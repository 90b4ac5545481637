/**
 * Killing the router strands no caller — also after a transfer. The caller talks
 * to 12345 agent 1001, the agent transfers the call to the sub-center 12366 and completes (the
 * agent leaves, caller and seat talk on in the call's conference), then the router is SIGKILLed.
 * When the seat hangs up nobody is left to kick the caller out of the conference or to run the
 * survey on its outbound socket: FreeSWITCH itself must end the caller's leg, within a bound.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HANDOVER_PARK_SECONDS } from '../../src/adapters/esl/transfer-control.js';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { startStack, type Stack } from '../support/freeswitch/stack.js';
import { startSipp, untilListening, type SippHandle } from '../support/sipp/sipp.js';
import { agentTo } from './router-api.js';

const req = e2eRequirements('e2e transfer, router killed');

interface View { phase: string; current?: { answeredAt?: number } }

describe.skipIf(req.skip)('router killed after a completed transfer', () => {
  let stack: Stack | undefined;
  const sipps: SippHandle[] = [];
  const s = (): Stack => {
    if (stack === undefined) throw new Error('stack not started');
    return stack;
  };

  beforeAll(async () => {
    stack = await startStack(req.install!, { events: ['CHANNEL_BRIDGE'] });
  }, 60_000);
  afterEach(async () => {
    await Promise.all(sipps.splice(0).map((h) => h.kill()));
    await stack?.fs.api('hupall MANAGER_REQUEST').catch(() => undefined);
  });
  afterAll(async () => { await stack?.stop(); }, 30_000);

  const uas = async (label: string, port: number, scenario: string, vars: Record<string, number>): Promise<SippHandle> => {
    const h = await startSipp(req.sipp!, { scenario, vars, port, limitMs: 50_000, work: s().work, label });
    sipps.push(h);
    await untilListening(h, port);
    return h;
  };
  const exists = async (uuid: string): Promise<boolean> => (await s().fs.api(`uuid_exists ${uuid}`)).trim() === 'true';
  const members = async (callSid: string): Promise<number> =>
    (await s().fs.api(`conference hotline-${callSid} list`).catch(() => '')).split('\n').filter((l) => l.includes(';')).length;

  it('the seat hangs up with the router dead: the caller is hung up, not left in the conference or parked', async () => {
    const { router, fs, agentPorts, seatPort } = s();
    await agentTo(router, '1001', 'ready');
    await agentTo(router, '1002', 'logged-out');
    const SEAT_TALK_MS = 6_000;
    const seat = await uas('seat', seatPort, 'agent-answers-talks-hangs-up.xml', { TALK_MS: SEAT_TALK_MS });
    const agent = await uas('agent1001', agentPorts['1001'], 'agent-waits-for-bye.xml', { BYE_TIMEOUT_MS: 45_000 });
    const seen = fs.events.length;
    const caller = await startSipp(req.sipp!, {
      scenario: 'caller-waits-for-bye.xml', vars: { BYE_TIMEOUT_MS: 45_000 }, dial: { number: '12345', host: '127.0.0.1', port: fs.ports.carrierSip },
      limitMs: 50_000, work: s().work, label: 'caller12345',
    });
    sipps.push(caller);
    const bridge = await waitFor('caller bridged to agent 1001', () => fs.events.slice(seen).find((e) => e.name === 'CHANNEL_BRIDGE'), 15_000);
    const callerUuid = bridge.headers['Unique-ID'] ?? '';
    const agentUuid = bridge.headers['Other-Leg-Unique-ID'] ?? '';
    const callSid = await waitFor('agent 1001 on the call', async () => {
      const a = await router.get<{ status: string; callId?: string }>('/api/agents/1001');
      return a.status === 'on-call' ? a.callId : undefined;
    }, 5_000);

    const path = `/api/calls/${callSid}/transfer`;
    expect((await router.postJson<View>(path, { target: '12366' })).status).toBe(200);
    await waitFor('seat answered', async () => ((await router.get<View>(path)).current?.answeredAt !== undefined ? true : undefined), 10_000);
    expect((await router.postJson<View>(`${path}/complete`)).body.phase).toBe('completed');
    await waitFor('agent leg gone', async () => (await exists(agentUuid) ? undefined : true), 5_000);
    await waitFor('caller and seat in the conference', async () => ((await members(callSid)) === 2 ? true : undefined), 5_000);
    expect((await agent.done).code).toBe(0);

    await router.process.kill(); // SIGKILL: the outbound socket and the inbound ESL connection drop
    expect(await exists(callerUuid), 'the caller talks on with the seat').toBe(true);

    const st = await seat.done;
    expect(st.code, st.log).toBe(0);
    expect(st.elapsedMs).toBeGreaterThanOrEqual(SEAT_TALK_MS);
    // The seat left: the conference ends by itself (the caller's `mintwo`), the caller parks with
    // a bounded park_timeout and FreeSWITCH hangs it up when nobody takes it over.
    const boundMs = (HANDOVER_PARK_SECONDS + 5) * 1000;
    const c = await Promise.race([caller.done, new Promise<undefined>((r) => { setTimeout(() => r(undefined), boundMs); })]);
    const channels = await fs.api('show channels');
    expect(c, `caller still connected ${boundMs} ms after the seat hung up:\n${channels}\n${fs.logTail(4_000)}`).toBeDefined();
    expect(c?.code, c?.log).toBe(0); // the caller's phone got a BYE
    const lag = c!.exitedAt - st.exitedAt;
    expect(lag).toBeGreaterThanOrEqual((HANDOVER_PARK_SECONDS - 2) * 1000); // park_timeout counts whole seconds
    expect(lag).toBeLessThan(boundMs);
    expect(await exists(callerUuid)).toBe(false);
    expect(await members(callSid)).toBe(0);
    expect(fs.log()).toContain('NORMAL_CLEARING');
    console.log(`caller hung up ${lag} ms after the seat`);
  }, 60_000);
});

/**
 * Three-party transfers through the whole router on a real FreeSWITCH: a sipp caller
 * dials 12345, the router queues it and bridges the ready 12345 agent (a sipp UAS), and the HTTP
 * agent API transfers the call to the sub-center 12366, whose seat is another sipp UAS. What
 * FreeSWITCH says (uuid_exists, conference members, playbacks) and what the router says (call
 * record, agent state, /metrics, a signed work order at a local receiver) are both checked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/adapters/webhook/index.js';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { startStack, type Stack } from '../support/freeswitch/stack.js';
import { startSipp, untilListening, type SippHandle } from '../support/sipp/sipp.js';
import { agentTo, recordOf } from './router-api.js';

const req = e2eRequirements('e2e transfers through the router');
const SECRET = 'e2e-work-order-secret-0123';

interface Received { readonly body: string; readonly signature: string | undefined }
interface View { phase: string; current?: { answeredAt?: number }; legs: { target: string; outcome?: string }[] }
interface ErrorBody { code: string; message: string }

describe.skipIf(req.skip)('transfers through FreeSWITCH and the router', () => {
  let stack: Stack | undefined;
  let receiver: Server | undefined;
  const orders: Received[] = [];
  const sipps: SippHandle[] = [];
  const s = (): Stack => {
    if (stack === undefined) throw new Error('stack not started');
    return stack;
  };

  beforeAll(async () => {
    receiver = createServer((r, res) => {
      let body = '';
      r.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      r.on('end', () => { orders.push({ body, signature: r.headers['x-hotline-signature'] as string | undefined }); res.writeHead(204).end(); });
    });
    await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/work-orders`;
    stack = await startStack(req.install!, { events: ['CHANNEL_BRIDGE', 'PLAYBACK_START'], routerEnv: { WORK_ORDER_URL: url, WORK_ORDER_SECRET: SECRET } });
  }, 60_000);
  afterEach(async () => {
    await Promise.all(sipps.splice(0).map((h) => h.kill()));
    // A failed test must not leave its channels (and agent 1001 on a call) to the next one.
    await stack?.fs.api('hupall MANAGER_REQUEST').catch(() => undefined);
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise<void>((r) => { if (receiver) receiver.close(() => r()); else r(); });
  }, 30_000);

  const uas = async (label: string, port: number, scenario: string, vars: Record<string, number>): Promise<SippHandle> => {
    const h = await startSipp(req.sipp!, { scenario, vars, port, limitMs: 45_000, work: s().work, label });
    sipps.push(h);
    await untilListening(h, port);
    return h;
  };

  /** The caller talking to agent 1001: the call's sid and both FreeSWITCH legs. */
  async function callerWithAgent() {
    const { router, fs, agentPorts } = s();
    await agentTo(router, '1001', 'ready');
    await agentTo(router, '1002', 'logged-out');
    const since = Date.now();
    const seen = fs.events.length;
    const agent = await uas('agent1001', agentPorts['1001'], 'agent-waits-for-bye.xml', { BYE_TIMEOUT_MS: 40_000 });
    const caller = await startSipp(req.sipp!, {
      scenario: 'caller-waits-for-bye.xml', vars: { BYE_TIMEOUT_MS: 40_000 }, dial: { number: '12345', host: '127.0.0.1', port: fs.ports.carrierSip },
      limitMs: 45_000, work: s().work, label: 'caller12345',
    });
    sipps.push(caller);
    const bridge = await waitFor('caller bridged to agent 1001', () => fs.events.slice(seen).find((e) => e.name === 'CHANNEL_BRIDGE'), 15_000);
    const callSid = await waitFor('agent 1001 on the call', async () => {
      const a = await router.get<{ status: string; callId?: string }>('/api/agents/1001');
      return a.status === 'on-call' ? a.callId : undefined;
    }, 5_000);
    const callerUuid = bridge.headers['Unique-ID'] ?? '';
    const agentUuid = bridge.headers['Other-Leg-Unique-ID'] ?? '';
    return { since, agent, caller, callSid, callerUuid, agentUuid, seen };
  }

  const members = async (callSid: string): Promise<Map<string, string>> => {
    const list = await s().fs.api(`conference hotline-${callSid} list`).catch(() => '');
    return new Map(list.split('\n').filter((l) => l.includes(';')).map((l) => { const p = l.split(';'); return [p[2] ?? '', p[5] ?? ''] as const; }));
  };
  const exists = async (uuid: string): Promise<boolean> => (await s().fs.api(`uuid_exists ${uuid}`)).trim() === 'true';

  /** The survey prompt plays to the caller again (the session has it back): answer it. */
  async function answerSurvey(callerUuid: string, seen: number, digit: string): Promise<void> {
    const { fs, promptsDir } = s();
    await waitFor('survey prompt to the caller', () => fs.events.slice(seen).find((e) => e.name === 'PLAYBACK_START'
      && e.headers['Unique-ID'] === callerUuid && e.headers['Playback-File-Path'] === `${promptsDir}/survey.wav`), 15_000);
    await fs.api(`uuid_recv_dtmf ${callerUuid} ${digit}`);
  }

  it('consult → three-way → complete: the agent leaves, caller and seat talk on; a second transfer is refused', async () => {
    const { router } = s();
    const seat = await uas('seat', s().seatPort, 'agent-answers-talks-hangs-up.xml', { TALK_MS: 7_000 });
    const { since, agent, caller, callSid, callerUuid, agentUuid, seen } = await callerWithAgent();
    const path = `/api/calls/${callSid}/transfer`;

    const started = await router.postJson<View>(path, { target: '12366' });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.phase).toBe('consulting');
    await waitFor('seat answered', async () => ((await router.get<View>(path)).current?.answeredAt !== undefined ? true : undefined), 10_000);
    const consult = await waitFor('three in the conference', async () => { const m = await members(callSid); return m.size === 3 ? m : undefined; }, 5_000);
    expect(consult.get(callerUuid) ?? '').not.toMatch(/hear/); // on hold: hears the music only
    expect(consult.get(agentUuid) ?? '').toMatch(/hear/);

    expect((await router.postJson<View>(`${path}/three-way`)).body.phase).toBe('three-way');
    expect((await members(callSid)).get(callerUuid) ?? '').toMatch(/hear/);
    expect((await router.postJson<View>(`${path}/complete`)).body.phase).toBe('completed');

    await waitFor('agent leg gone', async () => (await exists(agentUuid) ? undefined : true), 5_000);
    const after = await waitFor('caller and seat left', async () => { const m = await members(callSid); return m.size === 2 ? m : undefined; }, 5_000);
    expect(after.has(callerUuid)).toBe(true);
    expect([...after.values()].every((flags) => /hear/.test(flags) && /speak/.test(flags))).toBe(true);
    expect(await exists(callerUuid)).toBe(true);
    expect((await agent.done).code).toBe(0); // the agent's phone got a BYE, as after any call
    await waitFor('agent 1001 ready again (wrap-up 0 s)', async () => ((await router.get<{ status: string }>('/api/agents/1001')).status === 'ready' ? true : undefined), 5_000);

    const again = await router.postJson<ErrorBody>(path, { target: '12366' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('HOTLINE_ERR_TRANSFER_LIMIT');

    // The seat hangs up: the caller is the session's again — survey, thanks, goodbye.
    await answerSurvey(callerUuid, seen, '1');
    const [c, st] = await Promise.all([caller.done, seat.done]);
    expect(c.code, `${c.log}\n${router.logTail()}`).toBe(0);
    expect(st.code, st.log).toBe(0);
    const record = await recordOf(router, '12345', since);
    expect(record).toMatchObject({ outcome: 'answered', agentId: '1001', survey: 'satisfied', fsUuid: callerUuid });
    expect(record.transfers).toEqual([expect.objectContaining({ target: '12366', kind: 'subcenter', agentId: '1001', outcome: 'completed' })]);
    expect(await router.getText('/metrics')).toMatch(/hotline_transfers_total\{target="12366",outcome="completed"\} 1/);
  }, 60_000);

  it('the seat does not answer: the caller is back with the agent and a signed work order is delivered', async () => {
    const { router } = s();
    // The seat rings and rings: FreeSWITCH gives up after the line's noAnswerSeconds (5 s).
    const seat = await uas('seat', s().seatPort, 'seat-rings-no-answer.xml', { CANCEL_TIMEOUT_MS: 15_000 });
    const { since, agent, caller, callSid, callerUuid, agentUuid, seen } = await callerWithAgent();
    const path = `/api/calls/${callSid}/transfer`;
    const startedAt = Date.now();
    expect((await router.postJson<View>(path, { target: '12366' })).status).toBe(200);
    const back = await waitFor('transfer failed', async () => { const v = await router.get<View>(path); return v.phase === 'idle' ? v : undefined; }, 10_000);
    const outcome = back.legs[0]?.outcome;
    expect(outcome).toBe('no-answer');
    // switch_ivr_originate counts the ring time in whole seconds: up to 1 s early.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3_500);
    expect((await seat.done).code).toBe(0);
    const m = await members(callSid);
    expect(m.get(callerUuid) ?? '').toMatch(/hear/);
    expect(m.get(agentUuid) ?? '').toMatch(/hear/);

    const order = await waitFor('work order delivered', () => orders.find((o) => o.body.includes(callSid)), 5_000);
    expect(JSON.parse(order.body)).toMatchObject({ type: 'transfer-failed', callSid, line: '12345', target: '12366', targetKind: 'subcenter', reason: outcome, agentId: '1001' });
    expect(verify(SECRET, order.body, order.signature)).toBe(true);

    // The agent finishes and hangs up: the caller gets the survey.
    await s().fs.api(`uuid_kill ${agentUuid}`);
    await answerSurvey(callerUuid, seen, '2');
    const [c, a] = await Promise.all([caller.done, agent.done]);
    expect(c.code, `${c.log}\n${router.logTail()}`).toBe(0);
    expect(a.code, a.log).toBe(0);
    const record = await recordOf(router, '12345', since);
    expect(record).toMatchObject({ outcome: 'answered', agentId: '1001', survey: 'basically-satisfied' });
    expect(record.transfers).toEqual([expect.objectContaining({ target: '12366', outcome })]);
    await waitFor('agent 1001 ready again', async () => ((await router.get<{ status: string }>('/api/agents/1001')).status === 'ready' ? true : undefined), 5_000);
  }, 60_000);
  it('feature codes on the agent leg: *1 12366 # consults, *2 joins all three, *0 takes the caller back', async () => {
    const { router, fs } = s();
    const seat = await uas('seat', s().seatPort, 'agent-waits-for-bye.xml', { BYE_TIMEOUT_MS: 30_000 });
    const { since, agent, caller, callSid, callerUuid, agentUuid, seen } = await callerWithAgent();
    const path = `/api/calls/${callSid}/transfer`;
    // As if the agent's phone sent the keys (FreeSWITCH fires DTMF events for the agent's channel).
    await fs.api(`uuid_recv_dtmf ${agentUuid} *112366#`);
    await waitFor('seat answered the consult', async () => ((await router.get<View>(path)).current?.answeredAt !== undefined ? true : undefined), 10_000);
    await fs.api(`uuid_recv_dtmf ${agentUuid} *2`);
    await waitFor('three-way', async () => ((await router.get<View>(path)).phase === 'three-way' ? true : undefined), 5_000);
    await fs.api(`uuid_recv_dtmf ${agentUuid} *0`);
    const back = await waitFor('cancelled', async () => { const v = await router.get<View>(path); return v.phase === 'idle' ? v : undefined; }, 5_000);
    expect(back.legs).toEqual([expect.objectContaining({ target: '12366', outcome: 'cancelled' })]);
    expect((await seat.done).code).toBe(0); // the seat was hung up
    const m = await waitFor('caller and agent left', async () => { const x = await members(callSid); return x.size === 2 ? x : undefined; }, 5_000);
    expect(m.get(callerUuid) ?? '').toMatch(/hear/);
    expect(m.get(agentUuid) ?? '').toMatch(/hear/);

    await fs.api(`uuid_kill ${agentUuid}`);
    await answerSurvey(callerUuid, seen, '3');
    const [c, a] = await Promise.all([caller.done, agent.done]);
    expect(c.code, `${c.log}\n${router.logTail()}`).toBe(0);
    expect(a.code, a.log).toBe(0);
    const record = await recordOf(router, '12345', since);
    expect(record).toMatchObject({ outcome: 'answered', agentId: '1001', survey: 'unsatisfied' });
    expect(record.transfers).toEqual([expect.objectContaining({ target: '12366', outcome: 'cancelled' })]);
  }, 60_000);
});

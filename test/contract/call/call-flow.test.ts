import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDialplan } from '../../../src/dialplan/index.js';
import { cityRegistry } from '../../support/registry-builder.js';
import { parseDialplan, settingsOf } from '../../unit/dialplan/parse-dialplan.js';
import { dialPeer, startHarness } from './harness.js';

type Harness = Awaited<ReturnType<typeof startHarness>>;

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a whole call through OutboundEslServer + CallManager against the FreeSWITCH peer', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.server.close(); });

  it('12345: answer, welcome, hold, break on assignment, bridge, agent hangs up, survey 1 → answered + satisfied', async () => {
    const { call, timeline, agentHangup } = await dialPeer(h.address, { bridge: 'answer', digit: '1' });
    await until(() => timeline.includes('playback local_stream://moh'), 'hold music');
    expect(timeline).toEqual([
      'multiset ^^|hangup_after_bridge=false|park_after_bridge=false|continue_on_fail=true|playback_terminators=none|transfer_ringback=local_stream://moh',
      'answer ', 'playback /prompts/welcome.wav', 'playback local_stream://moh',
    ]);
    expect(h.acd.calls).toEqual(['enqueue general 12345']);
    expect(h.manager.active).toBe(1);

    h.acd.assign('call-1');
    await until(() => timeline.some((l) => l.startsWith('bridge ')), 'bridge');
    const tail = timeline.slice(4);
    expect(tail).toEqual([
      `api uuid_break ${call.uuid} all`,
      'bridge {originate_timeout=20,leg_timeout=20,ignore_early_media=ring_ready}user/1001',
    ]);
    await until(() => h.acd.calls.includes('agentAnswered 1001'), 'agent answered');

    agentHangup();
    await until(() => call.runner.hangupCause !== undefined, 'hang-up');
    await Promise.all(h.done);
    expect(timeline.slice(6)).toEqual([
      'play_and_get_digits 1 1 1 5000 none /prompts/survey.wav silence_stream://250 hotline_digit ^[123]$',
      'playback /prompts/survey-thanks.wav',
    ]);
    expect(h.acd.calls).toEqual(['enqueue general 12345', 'agentAnswered 1001', 'conversationEnded 1001']);
    const [record] = h.records.all();
    expect(record).toMatchObject({
      callSid: 'call-1', fsUuid: call.uuid, line: '12345', mode: 'hotline', queue: 'general',
      outcome: 'answered', agentId: '1001', survey: 'satisfied', hangupCause: 'NORMAL_CLEARING',
    });
    expect(h.manager.active).toBe(0);
  });

  it('the agent\'s own hang-up on the inbound link frees the agent and queues the survey before the caller\'s bridge returns; FreeSWITCH hanging the agent up does not', async () => {
    const { call, timeline, agentHangup } = await dialPeer(h.address, { bridge: 'answer', digit: '1' });
    await until(() => timeline.includes('playback local_stream://moh'), 'hold music');
    h.acd.assign('call-1');
    await until(() => h.acd.calls.includes('agentAnswered 1001'), 'agent answered');
    expect(h.farLegs.size).toBe(1);

    const hangup = (sipTermStatus?: string) => ({
      name: 'CHANNEL_HANGUP', uuid: 'agent-leg',
      headers: { 'Unique-ID': 'agent-leg', 'Hangup-Cause': 'NORMAL_CLEARING', ...(sipTermStatus === undefined ? {} : { 'variable_sip_term_status': sipTermStatus }) },
    });
    // FreeSWITCH's core ended the agent leg (sofia set nothing): that end is the caller's, told on the caller's socket.
    h.farLegs.feed(hangup());
    expect(h.farLegs.size).toBe(1);
    // The agent's BYE: sofia sets sip_term_status before it hangs the leg up.
    h.farLegs.feed(hangup('200'));
    await until(() => h.acd.calls.includes('conversationEnded 1001') && timeline.some((l) => l.startsWith('play_and_get_digits')), 'agent freed and survey written');
    // ... while the caller's bridge application is still running.
    expect(call.runner.completed.map((c) => c.app)).not.toContain('bridge');

    agentHangup();
    await until(() => call.runner.hangupCause !== undefined, 'hang-up');
    await Promise.all(h.done);
    expect(h.acd.calls).toEqual(['enqueue general 12345', 'agentAnswered 1001', 'conversationEnded 1001']);
    expect(h.records.all()[0]).toMatchObject({ outcome: 'answered', agentId: '1001', survey: 'satisfied' });
    expect(h.farLegs.size).toBe(0);
  });

  it('a call from the generated dialplan, which set the caller leg already: the router sends no settings of its own', async () => {
    const plan = parseDialplan(generateDialplan(cityRegistry()).files[0]?.xml ?? '');
    const actions = plan.extensions.find((e) => e.name === 'hotline-12345')?.conditions[0]?.actions ?? [];
    const variables = Object.fromEntries(settingsOf(actions));
    expect(variables).toMatchObject({ hangup_after_bridge: 'false', park_after_bridge: 'false' });
    const { timeline } = await dialPeer(h.address, { bridge: 'answer', variables });
    await until(() => timeline.includes('playback local_stream://moh'), 'hold music');
    expect(timeline).toEqual(['answer ', 'playback /prompts/welcome.wav', 'playback local_stream://moh']);

    // A dialplan that set only some (an older one): the router sets the rest.
    const older = await dialPeer(h.address, { bridge: 'answer', variables: { hangup_after_bridge: 'false', continue_on_fail: 'true', park_after_bridge: 'true' } });
    await until(() => older.timeline.includes('playback local_stream://moh'), 'hold music');
    expect(older.timeline[0]).toBe('multiset ^^|park_after_bridge=false|playback_terminators=none|transfer_ringback=local_stream://moh');
  });

  it('a line without a prompt and an idle agent: the bridge is written before FreeSWITCH has replied to the answer', async () => {
    await h.server.close();
    h = await startHarness((registry) => { registry.hotline = { ...registry.hotline, welcomePrompt: undefined }; });
    // The idle agent is offered within the enqueue, as the ACD does.
    const enqueue = h.acd.enqueue.bind(h.acd);
    h.acd.enqueue = async (req, listener) => {
      const queued = await enqueue(req, listener);
      h.acd.assign(req.callId);
      return queued;
    };
    const { call, timeline } = await dialPeer(h.address, { bridge: 'answer' });
    const read: string[] = [];
    call.on('read', (cmd) => read.push(cmd.headers.get('execute-app-name') ?? cmd.line.trim()));
    let bridgeBeforeAnswerReply = false;
    // FreeSWITCH runs queued applications only at its next media tick: an answer and a bridge
    // that reach it together run in one, a bridge sent after the answer's reply may wait a tick more.
    call.beforeReply = async (cmd) => {
      if (cmd.headers.get('execute-app-name') !== 'answer') return;
      const end = Date.now() + 1000;
      while (!read.includes('bridge') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      bridgeBeforeAnswerReply = read.includes('bridge');
    };
    await until(() => timeline.some((l) => l.startsWith('bridge ')), 'bridge');
    expect(bridgeBeforeAnswerReply).toBe(true);
    expect(timeline.slice(0, 2)).toEqual([
      'multiset ^^|hangup_after_bridge=false|park_after_bridge=false|continue_on_fail=true|playback_terminators=none|transfer_ringback=local_stream://moh',
      'answer ',
    ]);
    expect(timeline).not.toContain('playback local_stream://moh');
    await call.hangup('NORMAL_CLEARING');
    await Promise.all(h.done);
  });

  it('the caller disconnects mid-queue: ACD told callerLeft, record abandoned, nothing thrown', async () => {
    const { call, timeline } = await dialPeer(h.address, { bridge: 'answer' });
    await until(() => timeline.includes('playback local_stream://moh'), 'hold music');
    await h.clock.tick(20_000);
    call.drop();
    await Promise.all(h.done);
    expect(h.acd.calls).toEqual(['enqueue general 12345', 'callerLeft']);
    expect(h.records.all()).toMatchObject([{ outcome: 'abandoned', queue: 'general', waitSeconds: 20, survey: undefined }]);
    expect(h.manager.active).toBe(0);
  });

  it('the agent does not answer: ACD told, music resumes, the caller keeps waiting', async () => {
    const { call, timeline } = await dialPeer(h.address, { bridge: 'NO_ANSWER' });
    await until(() => timeline.includes('playback local_stream://moh'), 'hold music');
    h.acd.assign('call-1');
    await until(() => h.acd.calls.includes('agentNoAnswer 1001'), 'no answer reported');
    await until(() => timeline.filter((l) => l === 'playback local_stream://moh').length === 2, 'music again');
    await call.hangup('NORMAL_CLEARING');
    await Promise.all(h.done);
    expect(h.acd.calls.at(-1)).toBe('callerLeft');
    expect(h.records.all()[0]).toMatchObject({ outcome: 'short-abandoned', agentsTried: ['1001'] });
  });

  it('an unknown number is refused unanswered with UNALLOCATED_NUMBER', async () => {
    const { call, timeline } = await dialPeer(h.address, { bridge: 'answer' }, '99999');
    await until(() => h.done.length === 1, 'the call to be accepted');
    await Promise.all(h.done);
    expect(timeline).toEqual([]);
    expect(call.runner.hangupCause).toBe('UNALLOCATED_NUMBER');
    expect(call.runner.state.answered).toBe(false);
    expect(h.records.all()[0]).toMatchObject({ outcome: 'rejected', rejected: { sipStatus: 404 } });
  });

  it('draining: a new call is handed back to the dialplan without being answered', async () => {
    const drained = await h.manager.drain(1000);
    expect(drained).toEqual({ remaining: 0, released: 0 });
    const { call } = await dialPeer(h.address, { bridge: 'answer' });
    await until(() => call.closed, 'socket closed by the router');
    expect(call.runner.state.answered).toBe(false);
    expect(call.runner.hangupCause).toBeUndefined();
    expect(h.acd.calls).toEqual([]);
  });
});

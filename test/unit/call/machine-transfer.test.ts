/** The call machine while a three-party transfer owns the caller : as a table. */
import { describe, expect, it } from 'vitest';
import { step, type CallCommand, type CallEvent, type CallPhase, type CallRecord, type CallState } from '../../../src/core/call/index.js';
import { bridgedCall, fresh, kinds, queuedCall, run, sec } from './fixtures.js';

const agentLeft: CallEvent = { kind: 'transfer-agent-left', at: sec(120) };
const over: CallEvent = { kind: 'transfer-over', at: sec(300) };
const hangup = (at: number): CallEvent => ({ kind: 'caller-hangup', at, cause: 'NORMAL_CLEARING' });
const recordOf = (cmds: readonly CallCommand[]): CallRecord | undefined => {
  const c = cmds.find((x) => x.kind === 'record');
  return c?.kind === 'record' ? c.record : undefined;
};
const survey: CallCommand = { kind: 'collect-digit', prompt: 'survey', timeoutMs: 10_000, valid: '123' };
const ended: CallCommand = { kind: 'acd-conversation-ended', agentId: 'a1' };

interface Row {
  readonly name: string;
  readonly events: readonly CallEvent[];
  /** Commands of every step, in order. */
  readonly steps: readonly (readonly CallCommand[])[];
  readonly phase: CallPhase;
}

const rows: readonly Row[] = [
  { name: 'completed transfer: the agent leaves → ACD wrap-up once; the call stays bridged (caller with the target)',
    events: [agentLeft], steps: [[ended]], phase: 'bridged' },
  { name: 'a second agent-left notice is ignored', events: [agentLeft, agentLeft], steps: [[ended], []], phase: 'bridged' },
  { name: 'the target hangs up after the hand-over → survey, no second conversationEnded',
    events: [agentLeft, over], steps: [[ended], [survey]], phase: 'survey' },
  { name: 'transfer over without an agent-left notice → the ACD is told once, then the survey',
    events: [over], steps: [[ended, survey]], phase: 'survey' },
  { name: 'the bridge ending after the agent left (the legs moved into the conference) is not the conversation ending',
    events: [agentLeft, { kind: 'bridge-ended', at: sec(121), cause: 'NORMAL_CLEARING' }], steps: [[ended], []], phase: 'bridged' },
  { name: 'drain / errors while the caller talks to the target: the call is kept',
    events: [agentLeft, { kind: 'release', at: sec(130), reason: 'shutdown' }, { kind: 'error', at: sec(131), message: 'x' }],
    steps: [[ended], [], []], phase: 'bridged' },
];

describe('call machine: transfers', () => {
  it.each(rows)('$name', ({ events, steps, phase }) => {
    const r = run(bridgedCall(), events);
    expect(r.steps).toEqual(steps);
    expect(r.state.phase).toBe(phase);
  });

  it('the caller hangs up while talking to the target: no second conversationEnded; record answered', () => {
    const { steps } = run(bridgedCall(), [agentLeft, hangup(sec(200))]);
    expect(kinds(steps[1] ?? [])).toEqual(['record']);
    expect(recordOf(steps[1] ?? [])).toMatchObject({ outcome: 'answered', agentId: 'a1', survey: undefined, answeredAt: sec(45) });
  });

  it('the survey after a transfer counts like any other', () => {
    const { steps, state } = run(bridgedCall(), [agentLeft, over, { kind: 'digit', at: sec(305), digit: '1' }]);
    expect(steps[2]).toEqual([{ kind: 'play', media: 2, prompts: [{ kind: 'prompt', id: 'survey-thanks' }] }]);
    expect(state).toMatchObject({ phase: 'ending', survey: 'satisfied' });
  });

  it.each<[string, CallState]>([
    ['new call', fresh()],
    ['waiting in the queue', queuedCall()],
  ])('transfer notices outside a conversation are ignored (%s)', (_name, s) => {
    for (const e of [agentLeft, over]) expect(step(s, e)).toEqual({ state: s, commands: [] });
  });

  it('in the survey a late transfer notice changes nothing', () => {
    const s = run(bridgedCall(), [agentLeft, over]).state;
    expect(step(s, over)).toEqual({ state: s, commands: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { step, type CallCommand, type CallEvent, type CallRecord } from '../../../src/core/call/index.js';
import { bridgedCall, kinds, run, sec } from './fixtures.js';

const agentHangsUp: CallEvent = { kind: 'bridge-ended', at: sec(300), cause: 'NORMAL_CLEARING' };
const recordOf = (cmds: readonly CallCommand[]): CallRecord | undefined => {
  const c = cmds.find((x) => x.kind === 'record');
  return c?.kind === 'record' ? c.record : undefined;
};

describe('call machine: conversation and survey', () => {
  it('agent hangs up → survey → 1 → thanks → hang-up; record answered + satisfied', () => {
    const { steps, state } = run(bridgedCall(), [
      agentHangsUp,
      { kind: 'digit', at: sec(305), digit: '1' },
      { kind: 'media-done', at: sec(308), media: 2 },
      { kind: 'caller-hangup', at: sec(308.1), cause: 'NORMAL_CLEARING' },
    ]);
    expect(steps[0]).toEqual([
      { kind: 'acd-conversation-ended', agentId: 'a1' },
      { kind: 'collect-digit', prompt: 'survey', timeoutMs: 10_000, valid: '123' },
    ]);
    expect(steps[1]).toEqual([{ kind: 'play', media: 2, prompts: [{ kind: 'prompt', id: 'survey-thanks' }] }]);
    expect(steps[2]).toEqual([{ kind: 'hangup', cause: 'NORMAL_CLEARING' }]);
    expect(kinds(steps[3] ?? [])).toEqual(['record']);
    expect(recordOf(steps[3] ?? [])).toEqual({
      callSid: 'call-1', fsUuid: 'fs-1', line: '12345', mode: 'hotline', queue: 'general', hops: [],
      arrivedAt: sec(0), queuedAt: sec(1), answeredAt: sec(45), agentId: 'a1', agentsTried: ['a1'], endedAt: sec(308.1),
      outcome: 'answered', waitSeconds: 44, waitFromArrivalSeconds: 45, survey: 'satisfied', hangupCause: 'NORMAL_CLEARING',
    } satisfies CallRecord);
    expect(state.phase).toBe('done');
  });

  it.each([
    ['1', 'satisfied'], ['2', 'basically-satisfied'], ['3', 'unsatisfied'],
  ])('digit %s → %s', (digit, result) => {
    const { state } = run(bridgedCall(), [agentHangsUp, { kind: 'digit', at: sec(301), digit }]);
    expect(state).toMatchObject({ phase: 'ending', survey: result });
  });

  it('a wrong key re-prompts once, then a right one counts', () => {
    const { steps, state } = run(bridgedCall(), [
      agentHangsUp,
      { kind: 'digit', at: sec(302), digit: '9' },
      { kind: 'digit', at: sec(304), digit: '2' },
    ]);
    expect(steps[1]).toEqual([{ kind: 'collect-digit', prompt: 'survey', timeoutMs: 10_000, valid: '123' }]);
    expect(state.survey).toBe('basically-satisfied');
  });

  it('two wrong keys → none, goodbye', () => {
    const { steps, state } = run(bridgedCall(), [
      agentHangsUp,
      { kind: 'digit', at: sec(302), digit: '#' },
      { kind: 'digit', at: sec(304), digit: '0' },
    ]);
    expect(steps[2]).toEqual([{ kind: 'play', media: 2, prompts: [{ kind: 'prompt', id: 'goodbye' }] }]);
    expect(state.survey).toBe('none');
  });

  it('survey timeout → none, goodbye, hang-up', () => {
    const { steps, state } = run(bridgedCall(), [
      agentHangsUp,
      { kind: 'digit-timeout', at: sec(310) },
      { kind: 'media-done', at: sec(312), media: 2 },
    ]);
    expect(steps[1]).toEqual([{ kind: 'play', media: 2, prompts: [{ kind: 'prompt', id: 'goodbye' }] }]);
    expect(steps[2]).toEqual([{ kind: 'hangup', cause: 'NORMAL_CLEARING' }]);
    expect(state.survey).toBe('none');
  });

  it('caller hangs up during the survey → none; answered', () => {
    const { steps } = run(bridgedCall(), [agentHangsUp, { kind: 'caller-hangup', at: sec(302), cause: 'NORMAL_CLEARING' }]);
    expect(kinds(steps[1] ?? [])).toEqual(['record']);
    expect(recordOf(steps[1] ?? [])).toMatchObject({ outcome: 'answered', survey: 'none' });
  });

  it('caller hangs up while talking → ACD conversationEnded, no survey', () => {
    const t = step(bridgedCall(), { kind: 'caller-hangup', at: sec(200), cause: 'NORMAL_CLEARING' });
    expect(kinds(t.commands)).toEqual(['acd-conversation-ended', 'record']);
    expect(recordOf(t.commands)).toMatchObject({ outcome: 'answered', survey: undefined, answeredAt: sec(45) });
  });

  it('an error while surveying still ends the call with a hang-up', () => {
    const { steps } = run(bridgedCall(), [agentHangsUp, { kind: 'error', at: sec(301), message: 'pagd failed' }]);
    expect(steps[1]).toEqual([{ kind: 'hangup', cause: 'NORMAL_CLEARING' }]);
  });
});

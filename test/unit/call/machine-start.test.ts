import { describe, expect, it } from 'vitest';
import { step, type CallCommand } from '../../../src/core/call/index.js';
import {
  T0, fresh, hotlineDecision, kinds, mergedDecision, reject, run, sec, subcenterDecision,
} from './fixtures.js';

describe('call machine: routing, answer, prompt, enqueue', () => {
  it.each([
    [404, 'UNALLOCATED_NUMBER'],
    [403, 'INCOMING_CALL_BARRED'],
    [400, 'INVALID_NUMBER_FORMAT'],
    [599, 'CALL_REJECTED'],
  ])('reject %i → hang up with %s, never answered', (status, cause) => {
    const t = step(fresh(), { kind: 'route-decided', at: T0, decision: reject(status) });
    expect(t.commands).toEqual([{ kind: 'hangup', cause }]);
    expect(t.state.phase).toBe('ending');
    const end = step(t.state, { kind: 'caller-hangup', at: sec(0.1), cause });
    const rec = end.commands.find((c) => c.kind === 'record');
    expect(rec?.kind === 'record' && rec.record).toMatchObject({ outcome: 'rejected', rejected: { sipStatus: status }, queuedAt: undefined, waitSeconds: undefined });
    expect(kinds(end.commands)).toEqual(['record']);
  });

  it('merged line in its transition period: answer, the prompt, then enqueue with hold music', () => {
    const { state, steps } = run(fresh(), [
      { kind: 'route-decided', at: T0, decision: mergedDecision },
      { kind: 'answered', at: sec(0.5) },
      { kind: 'media-done', at: sec(4), media: 1 },
    ]);
    expect(steps[0]).toEqual([{ kind: 'answer' }]);
    expect(steps[1]).toEqual([{ kind: 'play', media: 1, prompts: [{ kind: 'prompt', id: 'transition-12319' }] }]);
    expect(steps[2]).toEqual([
      { kind: 'acd-enqueue', queueId: 'general', priority: 2, line: '12319' },
      { kind: 'hold', media: 2 },
    ]);
    expect(state).toMatchObject({ phase: 'enqueuing', queuedAt: sec(4), callAnsweredAt: sec(0.5), holding: 'hold' });
  });

  it('no prompt: answered goes straight to the queue', () => {
    const { steps, state } = run(fresh(), [
      { kind: 'route-decided', at: T0, decision: hotlineDecision() },
      { kind: 'answered', at: sec(1) },
    ]);
    expect(kinds(steps[1] ?? [])).toEqual(['acd-enqueue', 'hold']);
    expect(state.phase).toBe('enqueuing');
  });

  it('a stale media completion does not end the prompt', () => {
    const { state, steps } = run(fresh(), [
      { kind: 'route-decided', at: T0, decision: mergedDecision },
      { kind: 'answered', at: sec(1) },
      { kind: 'media-done', at: sec(2), media: 0 },
    ]);
    expect(steps[2]).toEqual([]);
    expect(state.phase).toBe('prompting');
  });

  it('enqueued: position kept, skipped queues recorded as hops, first announcement armed', () => {
    const { state, steps } = run(fresh(), [
      { kind: 'route-decided', at: T0, decision: hotlineDecision() },
      { kind: 'answered', at: sec(1) },
      { kind: 'enqueued', at: sec(1), queueId: 'pool', position: 7, skipped: [{ queueId: 'general', reason: 'no-agents' }] },
    ]);
    expect(steps[2]).toEqual([{ kind: 'set-timer', name: 'announce', at: sec(61) }]);
    expect(state).toMatchObject({ phase: 'queued', queueId: 'pool', position: 7, hops: [{ queue: 'general', reason: 'no-agents', entered: false }] });
  });

  it('a queue without announcements arms no timer', () => {
    const s = run(fresh({ announceEverySeconds: {} }), [
      { kind: 'route-decided', at: T0, decision: hotlineDecision() },
      { kind: 'answered', at: sec(1) },
      { kind: 'enqueued', at: sec(1), queueId: 'general', position: 1, skipped: [] },
    ]);
    expect(s.steps[2]).toEqual([]);
  });

  it('routing overflow hops from the decision are kept', () => {
    const d = { ...hotlineDecision(), queue: 'pool', overflowedFrom: [{ queue: 'general', reason: 'closed' as const }] };
    const t = step(fresh(), { kind: 'route-decided', at: T0, decision: d });
    expect(t.state.hops).toEqual([{ queue: 'general', reason: 'closed', entered: false }]);
    expect(t.state.queueId).toBe('pool');
  });
});

describe('call machine: sub-center lines', () => {
  const decided = (): ReturnType<typeof run> => run(fresh(), [{ kind: 'route-decided', at: T0, decision: subcenterDecision }]);

  it('an open sub-center is rung for noAnswerSeconds without answering the caller', () => {
    const { steps, state } = decided();
    expect(steps[0]).toEqual([{ kind: 'bridge', target: 'subcenter', dial: 'sofia/gateway/tax/12366', ringSeconds: 30 } satisfies CallCommand]);
    expect(state.phase).toBe('subcenter-ringing');
  });

  it.each(['no-answer', 'busy', 'failed'] as const)('sub-center %s → answer, then the fallback queue (7×24 pool)', (outcome) => {
    const { steps, state } = run(decided().state, [
      { kind: 'bridge-failed', at: sec(30), outcome, cause: 'NO_ANSWER' },
      { kind: 'answered', at: sec(30.2) },
    ]);
    expect(steps[0]).toEqual([{ kind: 'answer' }]);
    expect(steps[1]).toEqual([{ kind: 'acd-enqueue', queueId: 'pool', priority: 1, line: '12366' }, { kind: 'hold', media: 1 }]);
    expect(state.hops).toEqual([{ subcenter: '12366', reason: outcome }]);
  });

  it('sub-center answered: talk, then hang up when it ends; record subcenter-answered', () => {
    const { steps, state } = run(decided().state, [
      { kind: 'bridge-answered', at: sec(8) },
      { kind: 'bridge-ended', at: sec(200), cause: 'NORMAL_CLEARING' },
      { kind: 'caller-hangup', at: sec(200.1), cause: 'NORMAL_CLEARING' },
    ]);
    expect(steps[0]).toEqual([]);
    expect(steps[1]).toEqual([{ kind: 'hangup', cause: 'NORMAL_CLEARING' }]);
    const rec = steps[2]?.find((c) => c.kind === 'record');
    expect(rec?.kind === 'record' && rec.record).toMatchObject({ outcome: 'subcenter-answered', answeredAt: sec(8), queue: undefined, survey: undefined });
    expect(state.phase).toBe('done');
  });

  it('caller hangs up while the sub-center rings: abandoned (short within the threshold of arrival)', () => {
    const short = step(decided().state, { kind: 'caller-hangup', at: sec(2), cause: 'ORIGINATOR_CANCEL' });
    const long = step(decided().state, { kind: 'caller-hangup', at: sec(20), cause: 'ORIGINATOR_CANCEL' });
    expect(short.state.outcome).toBe('short-abandoned');
    expect(long.state.outcome).toBe('abandoned');
    expect(kinds(long.commands)).toEqual(['record']);
  });
});

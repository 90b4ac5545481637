import { describe, expect, it } from 'vitest';
import { step, type CallRecord } from '../../../src/core/call/index.js';
import { T0, assigned, fresh, hotlineDecision, kinds, queuedCall, run, sec } from './fixtures.js';

const recordOf = (cmds: readonly { kind: string }[]): CallRecord | undefined => {
  const c = cmds.find((x) => x.kind === 'record') as { record: CallRecord } | undefined;
  return c?.record;
};

describe('call machine: waiting in line', () => {
  it('announcement cycle: timer → status query → break music, announce, re-arm → music again', () => {
    const { steps, state } = run(queuedCall(), [
      { kind: 'timer', at: sec(31), name: 'announce' },
      { kind: 'wait-status', at: sec(31), status: { position: 2, minutes: 3 } },
      { kind: 'media-done', at: sec(36), media: 2 },
    ]);
    expect(steps[0]).toEqual([{ kind: 'acd-status' }]);
    expect(steps[1]).toEqual([
      { kind: 'break-media' },
      { kind: 'play', media: 2, prompts: [{ kind: 'announcement', position: 2, minutes: 3 }] },
      { kind: 'set-timer', name: 'announce', at: sec(61) },
    ]);
    expect(steps[2]).toEqual([{ kind: 'hold', media: 3 }]);
    expect(state).toMatchObject({ phase: 'queued', holding: 'hold', position: 2, statusPending: false });
  });

  it('a second timer while the status query is out sends nothing', () => {
    const { steps } = run(queuedCall(), [
      { kind: 'timer', at: sec(31), name: 'announce' },
      { kind: 'timer', at: sec(32), name: 'announce' },
    ]);
    expect(steps[1]).toEqual([]);
  });

  it('no status (caller no longer waiting, or no agent serves the queue): music goes on, next try armed', () => {
    const { steps, state } = run(queuedCall(), [
      { kind: 'timer', at: sec(31), name: 'announce' },
      { kind: 'wait-status', at: sec(31), status: null },
    ]);
    expect(steps[1]).toEqual([{ kind: 'set-timer', name: 'announce', at: sec(61) }]);
    expect(state.holding).toBe('hold');
  });

  it.each([
    ['holding', [] as const],
    ['announcing', [{ kind: 'timer', at: sec(31), name: 'announce' }, { kind: 'wait-status', at: sec(31), status: { position: 1, minutes: null } }] as const],
  ])('assignment while %s: cancel the timer and break media BEFORE the bridge', (_what, before) => {
    const { steps, state } = run(queuedCall(), [...before, assigned(sec(33))]);
    expect(steps.at(-1)).toEqual([
      { kind: 'cancel-timer', name: 'announce' },
      { kind: 'break-media' },
      { kind: 'bridge', target: 'agent', dial: 'user/1001', ringSeconds: 20 },
    ]);
    expect(state).toMatchObject({ phase: 'ringing-agent', agent: { id: 'a1', queueId: 'general' }, agentsTried: ['a1'] });
  });

  it('the announcement finishing after the assignment is stale and restarts no music', () => {
    const { steps } = run(queuedCall(), [
      { kind: 'timer', at: sec(31), name: 'announce' },
      { kind: 'wait-status', at: sec(31), status: { position: 1, minutes: 1 } },
      assigned(sec(32)),
      { kind: 'media-done', at: sec(32), media: 2 },
    ]);
    expect(steps.at(-1)).toEqual([]);
  });

  it('assignment before the enqueue call returned still rings the agent', () => {
    const { state } = run(fresh(), [
      { kind: 'route-decided', at: T0, decision: hotlineDecision() },
      { kind: 'answered', at: sec(1) },
      assigned(sec(1)),
      { kind: 'enqueued', at: sec(1), queueId: 'general', position: 1, skipped: [] },
    ]);
    expect(state.phase).toBe('ringing-agent');
  });

  it.each(['no-answer', 'busy', 'failed'] as const)('agent %s → ACD told, back to music and announcements', (outcome) => {
    const { steps, state } = run(queuedCall(), [assigned(sec(40)), { kind: 'bridge-failed', at: sec(60), outcome, cause: 'NO_ANSWER' }]);
    expect(steps[1]).toEqual([
      { kind: 'acd-agent-no-answer', agentId: 'a1' },
      { kind: 'hold', media: 2 },
      { kind: 'set-timer', name: 'announce', at: sec(90) },
    ]);
    expect(state).toMatchObject({ phase: 'queued', agent: undefined, holding: 'hold', agentsTried: ['a1'] });
    const again = run(state, [assigned(sec(61))]).state;
    expect(again.agentsTried).toEqual(['a1', 'a1']);
  });

  it('overflow notice while holding keeps holding: no media commands, announcements on the new queue cadence', () => {
    const t = step(queuedCall(), { kind: 'queue-notice', at: sec(120), notice: { kind: 'overflowed', from: 'general', to: 'pool', reason: 'max-wait' } });
    expect(t.commands).toEqual([{ kind: 'cancel-timer', name: 'announce' }, { kind: 'set-timer', name: 'announce', at: sec(180) }]);
    expect(t.state).toMatchObject({ phase: 'queued', holding: 'hold', queueId: 'pool', hops: [{ queue: 'general', reason: 'max-wait', entered: true }] });
  });

  it('agent answers → ACD told, bridged', () => {
    const { steps, state } = run(queuedCall(), [assigned(sec(40)), { kind: 'bridge-answered', at: sec(45) }]);
    expect(steps[1]).toEqual([{ kind: 'acd-agent-answered', agentId: 'a1' }]);
    expect(state).toMatchObject({ phase: 'bridged', connectedAt: sec(45), agentId: 'a1', outcome: 'answered' });
  });
});

describe('call machine: caller hangs up while waiting', () => {
  // queuedCall entered the queue at T0+1 s; shortAbandonSeconds is 5.
  it.each([
    [3, 'short-abandoned', 2],
    [5.9, 'short-abandoned', 4.9],
    [6, 'abandoned', 5],
    [100, 'abandoned', 99],
  ])('hang-up at +%s s while queued → %s (wait %s s)', (at, outcome, wait) => {
    const t = step(queuedCall(), { kind: 'caller-hangup', at: sec(at), cause: 'NORMAL_CLEARING' });
    expect(kinds(t.commands)).toEqual(['cancel-timer', 'acd-caller-left', 'record']);
    expect(recordOf(t.commands)).toMatchObject({ outcome, waitSeconds: wait, queue: 'general', line: '12345', mode: 'hotline' });
    expect(t.state.phase).toBe('done');
  });

  it('hang-up while an agent rings → ACD callerLeft, abandoned', () => {
    const { steps } = run(queuedCall(), [assigned(sec(40)), { kind: 'caller-hangup', at: sec(42), cause: 'ORIGINATOR_CANCEL' }]);
    expect(kinds(steps[1] ?? [])).toEqual(['cancel-timer', 'acd-caller-left', 'record']);
    expect(recordOf(steps[1] ?? [])).toMatchObject({ outcome: 'abandoned', agentsTried: ['a1'], agentId: undefined, answeredAt: undefined });
  });

  it('hang-up during the prompt: never offered to a queue', () => {
    const { steps } = run(fresh(), [
      { kind: 'route-decided', at: T0, decision: hotlineDecision(['welcome']) },
      { kind: 'answered', at: sec(1) },
      { kind: 'caller-hangup', at: sec(2), cause: 'NORMAL_CLEARING' },
    ]);
    expect(kinds(steps[2] ?? [])).toEqual(['record']);
    expect(recordOf(steps[2] ?? [])).toMatchObject({ outcome: 'left-before-queue', queuedAt: undefined, waitFromArrivalSeconds: 2 });
  });

  it('a second hang-up and late events after done change nothing', () => {
    const done = step(queuedCall(), { kind: 'caller-hangup', at: sec(9), cause: 'NORMAL_CLEARING' }).state;
    for (const e of [{ kind: 'caller-hangup', at: sec(10), cause: 'X' }, assigned(sec(10)), { kind: 'release', at: sec(10), reason: 'drain' }] as const) {
      expect(step(done, e)).toEqual({ state: done, commands: [] });
    }
  });
});

describe('call machine: release to the dialplan and errors', () => {
  it('release while queued: ACD told, music broken, socket released; record released', () => {
    const t = step(queuedCall(), { kind: 'release', at: sec(50), reason: 'drain' });
    expect(kinds(t.commands)).toEqual(['cancel-timer', 'acd-caller-left', 'break-media', 'release', 'record']);
    expect(recordOf(t.commands)?.outcome).toBe('released');
  });

  it('an error before the queue releases the call (the dialplan fallback reaches the pool)', () => {
    const t = step(fresh(), { kind: 'error', at: T0, message: 'route failed' });
    expect(kinds(t.commands)).toEqual(['release', 'record']);
    expect(recordOf(t.commands)).toMatchObject({ outcome: 'released', error: 'route failed' });
  });

  it.each(['bridged', 'ringing-agent'])('release while %s is ignored: a connection is never cut', (phase) => {
    const s = phase === 'bridged'
      ? run(queuedCall(), [assigned(sec(40)), { kind: 'bridge-answered', at: sec(45) }]).state
      : run(queuedCall(), [assigned(sec(40))]).state;
    expect(step(s, { kind: 'release', at: sec(50), reason: 'drain' }).commands).toEqual([]);
  });
});

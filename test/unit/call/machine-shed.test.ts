import { describe, expect, it } from 'vitest';
import { step, type CallCommand } from '../../../src/core/call/index.js';
import { T0, fresh, hotlineDecision, reject, sec, subcenterDecision } from './fixtures.js';

const record = (commands: readonly CallCommand[]) => commands.flatMap((c) => (c.kind === 'record' ? [c.record] : []))[0];

describe('call machine: a call shed over capacity', () => {
  it.each([
    ['a queue line', hotlineDecision(['welcome']), '12345'],
    ['an open sub-center line', subcenterDecision, '12366'],
  ])('%s: released to the dialplan unanswered, recorded as released on its line with the reason', (_what, decision, line) => {
    const t = step(fresh(), { kind: 'route-decided', at: T0, decision, shed: 'freeswitch-sessions' });
    expect(t.commands.map((c) => c.kind)).toEqual(['release', 'record']);
    expect(t.state.phase).toBe('done');
    expect(record(t.commands)).toMatchObject({
      outcome: 'released', shed: 'freeswitch-sessions', line, queuedAt: undefined, answeredAt: undefined, waitSeconds: undefined, waitFromArrivalSeconds: 0,
    });
    // Nothing later reaches a shed call's session.
    expect(step(t.state, { kind: 'caller-hangup', at: sec(1), cause: 'NORMAL_CLEARING' }).commands).toEqual([]);
  });

  it('a number that is refused is refused as ever, shedding or not', () => {
    const t = step(fresh(), { kind: 'route-decided', at: T0, decision: reject(404), shed: 'calls-per-second' });
    expect(t.commands).toEqual([{ kind: 'hangup', cause: 'UNALLOCATED_NUMBER' }]);
    expect(t.state.shed).toBeUndefined();
  });

  it('a call not shed carries no shed field', () => {
    const t = step(fresh(), { kind: 'route-decided', at: T0, decision: hotlineDecision() });
    expect(t.commands).toEqual([{ kind: 'answer' }]);
    const end = step(t.state, { kind: 'caller-hangup', at: sec(1), cause: 'NORMAL_CLEARING' });
    expect(record(end.commands)).not.toHaveProperty('shed');
  });
});

import { describe, expect, it } from 'vitest';
import type { CallState } from '../../../src/core/call/index.js';
import { next } from '../../../src/core/call/next-state.js';
import { bridgedCall, sec } from './fixtures.js';

/** A state where every field holds something other than its initial value, so a field copy() missed shows. */
function everyFieldSet(): CallState {
  const s = bridgedCall();
  return {
    ...s, caller: '13800000000', dialed: '12345', holding: 'announcement', statusPending: true, prompts: ['welcome'],
    hops: [{ queue: 'pool', reason: 'closed', entered: false }], subcenter: { dial: 'sofia/x', noAnswerSeconds: 5, fallbackQueue: 'pool' },
    callAnsweredAt: sec(1), agentReleased: true, surveyPrompts: 1, survey: 'satisfied', rejected: { sipStatus: 404, reason: 'x' },
    error: 'e', shed: 'calls-per-second', hangupCause: 'NORMAL_CLEARING', endedAt: sec(400),
  };
}

describe('call machine: next state', () => {
  it('copies every field of the state, and the copy is a new object', () => {
    const s = everyFieldSet();
    for (const [k, v] of Object.entries(s)) expect(v, k).not.toBeUndefined();
    const n = next(s, {});
    expect(n).toStrictEqual(s);
    expect(n).not.toBe(s);
  });

  it('applies the patch, then the second one; a field set to undefined is cleared; the old state is unchanged', () => {
    const s = everyFieldSet();
    const n = next(s, { phase: 'queued', agent: undefined, media: 7 }, { media: 8, holding: undefined });
    expect(n).toStrictEqual({ ...s, phase: 'queued', agent: undefined, media: 8, holding: undefined });
    expect(s).toStrictEqual(everyFieldSet());
  });
});

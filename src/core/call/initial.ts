import type { CallPolicy, CallState, Transition, CallCommand } from './types.js';

export interface NewCall {
  readonly callSid: string;
  readonly fsUuid: string;
  readonly arrivedAt: number;
  readonly policy: CallPolicy;
  /** The caller's number from the channel (absent when withheld). */
  readonly caller?: string;
  /** destination_number as FreeSWITCH delivered it. */
  readonly dialed?: string;
}

export function initialCallState(call: NewCall): CallState {
  return {
    phase: 'routing', policy: call.policy, callSid: call.callSid, fsUuid: call.fsUuid, arrivedAt: call.arrivedAt,
    caller: call.caller, dialed: call.dialed,
    media: 0, holding: undefined, statusPending: false, line: undefined, priority: 0, prompts: [],
    queueId: undefined, hops: [], queuedAt: undefined, position: undefined, agent: undefined, agentsTried: [],
    subcenter: undefined, callAnsweredAt: undefined, connectedAt: undefined, agentId: undefined, agentReleased: false,
    surveyPrompts: 0, survey: undefined, rejected: undefined, outcome: undefined, error: undefined, shed: undefined,
    hangupCause: undefined, endedAt: undefined,
  };
}

export const to = (state: CallState, ...commands: CallCommand[]): Transition => ({ state, commands });

/** Unchanged: the event does not apply in this state (late, duplicate or stale). */
export const ignore = (state: CallState): Transition => ({ state, commands: [] });

export function announceEvery(s: CallState, queueId: string | undefined): number {
  return queueId === undefined ? 0 : s.policy.announceEverySeconds[queueId] ?? 0;
}

/** The next announcement, if the queue has them: `at` + the queue's interval. */
export function announceTimer(s: CallState, queueId: string | undefined, at: number): CallCommand[] {
  const every = announceEvery(s, queueId);
  return every > 0 ? [{ kind: 'set-timer', name: 'announce', at: at + every * 1000 }] : [];
}

/**
 * A transition's new state: the old one with a few fields changed. Written out field by field
 * rather than as `{ ...s, … }`: a spread of this 32-field state at the machine's many sites
 * made V8 build a fresh hidden class (map and descriptor array, about 1.5 KB) for almost every
 * copy in a simulated day; a literal with every field always has the same shape (one object,
 * about 280 bytes). The compiler checks that the literal names every field.
 */
import type { CallState } from './types.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

export type StatePatch = Partial<Writable<CallState>>;

/** The patch that changes nothing. */
export const NO_CHANGE: StatePatch = Object.freeze({});

function copy(s: CallState): Writable<CallState> {
  return {
    phase: s.phase, policy: s.policy, callSid: s.callSid, fsUuid: s.fsUuid, arrivedAt: s.arrivedAt,
    caller: s.caller, dialed: s.dialed, media: s.media, holding: s.holding, statusPending: s.statusPending,
    line: s.line, priority: s.priority, prompts: s.prompts, queueId: s.queueId, hops: s.hops,
    queuedAt: s.queuedAt, position: s.position, agent: s.agent, agentsTried: s.agentsTried,
    subcenter: s.subcenter, callAnsweredAt: s.callAnsweredAt, connectedAt: s.connectedAt,
    agentId: s.agentId, agentReleased: s.agentReleased, surveyPrompts: s.surveyPrompts, survey: s.survey,
    rejected: s.rejected, outcome: s.outcome, error: s.error, shed: s.shed, hangupCause: s.hangupCause,
    endedAt: s.endedAt,
  };
}

/**
 * `s` with `patch` over it, then `more` (a field set to undefined is cleared). Two patches: a
 * transition made of two changes (answered, then prompting) makes one copy, not two.
 */
export function next(s: CallState, patch: StatePatch, more?: StatePatch): CallState {
  return Object.assign(copy(s), patch, more);
}

/**
 * The agent state machine as one pure function. Stores call it inside their atomic section
 * (the Redis store mirrors the same table in Lua for reservations), so it must stay
 * deterministic: time comes in as `now`.
 *
 *   logged-out ─login→ not-ready(login) ─ready→ ready ─reserve→ reserved ─ring→ ringing ─answer→ on-call
 *   on-call ─hangup→ wrap-up ─ready|wrap-up-done→ ready   (hangup with wrapUpSeconds 0 goes straight to ready)
 *   reserved|ringing ─release→ ready (idleSince kept)   reserved|ringing ─no-answer→ not-ready(no-answer)
 *   ready|not-ready|wrap-up ─not-ready→ not-ready   ready|not-ready|wrap-up ─logout→ logged-out
 */
import type { AgentSnapshot, AgentState, AgentStatus, NotReadyReason } from './types.js';

export type AgentEvent =
  | { readonly type: 'login' }
  | { readonly type: 'logout' }
  | { readonly type: 'ready' }
  | { readonly type: 'not-ready'; readonly reason: NotReadyReason }
  | { readonly type: 'reserve'; readonly callId: string; readonly queueId: string; readonly reservedUntil: number }
  | { readonly type: 'release'; readonly callId: string }
  /** `ringUntil` replaces reservedUntil: the reservation lives as long as the ring timeout */
  | { readonly type: 'ring'; readonly callId: string; readonly ringUntil: number; readonly ringEndsAt?: number }
  | { readonly type: 'answer'; readonly callId: string }
  | { readonly type: 'no-answer'; readonly callId: string }
  | { readonly type: 'hangup'; readonly callId: string; readonly wrapUpSeconds: number }
  /**
   * The wrap-up timer fired. Unlike `ready` (the agent's own button) it is legal only in
   * wrap-up and only once `until` has come, so a late timer cannot pull an agent off a break.
   */
  | { readonly type: 'wrap-up-done' };

export type AgentEventType = AgentEvent['type'];

export type TransitionError =
  | { readonly code: 'illegal-transition'; readonly from: AgentStatus; readonly event: AgentEventType }
  | { readonly code: 'wrong-call'; readonly expected: string; readonly got: string }
  | { readonly code: 'too-early'; readonly until: number; readonly now: number };

export type TransitionResult =
  | { readonly ok: true; readonly agent: AgentSnapshot }
  | { readonly ok: false; readonly error: TransitionError };

export class AgentTransitionError extends Error {
  constructor(readonly detail: TransitionError) {
    super(detail.code === 'illegal-transition' ? `agent cannot '${detail.event}' while '${detail.from}'`
      : detail.code === 'wrong-call' ? `agent holds call ${detail.expected}, not ${detail.got}`
        : `wrap-up runs until ${detail.until}, now is ${detail.now}`);
    this.name = 'AgentTransitionError';
  }
}

/** The end of after-call work for a call that ended at `hangupAt`. */
export function wrapUpEndsAt(hangupAt: number, wrapUpSeconds: number): number {
  return hangupAt + wrapUpSeconds * 1000;
}

/** A wrap-up is over at its end instant (not one tick later): ready at `until` exactly. */
export function isWrapUpDue(agent: AgentSnapshot, now: number): boolean {
  return agent.state.status === 'wrap-up' && now >= agent.state.until;
}

/** A reservation (reserved or ringing) whose holder did not renew it by `reservedUntil`. */
export function isReservationExpired(agent: AgentSnapshot, now: number): boolean {
  const s = agent.state;
  return (s.status === 'reserved' || s.status === 'ringing') && now >= s.reservedUntil;
}

export function newAgent(profile: Pick<AgentSnapshot, 'id' | 'skills' | 'queues'>, now: number): AgentSnapshot {
  return { id: profile.id, skills: profile.skills, queues: profile.queues, state: { status: 'logged-out' }, since: now, idleSince: null, version: 0 };
}

export function transition(agent: AgentSnapshot, event: AgentEvent, now: number): TransitionResult {
  const r = step(agent, event, now);
  // A late event about an earlier call must not move the agent off its current call.
  if (r.ok && event.type !== 'reserve' && 'callId' in event && 'callId' in agent.state && event.callId !== agent.state.callId) {
    return { ok: false, error: { code: 'wrong-call', expected: agent.state.callId, got: event.callId } };
  }
  return r;
}

/** Built field by field (not spread): one object shape for every snapshot keeps this hot path cheap. */
function moved(agent: AgentSnapshot, state: AgentState, idleSince: number | null, now: number): TransitionResult {
  return {
    ok: true,
    agent: { id: agent.id, skills: agent.skills, queues: agent.queues, state, since: now, idleSince, version: agent.version + 1 },
  };
}

function refused(agent: AgentSnapshot, event: AgentEvent): TransitionResult {
  return { ok: false, error: { code: 'illegal-transition', from: agent.state.status, event: event.type } };
}

function step(agent: AgentSnapshot, event: AgentEvent, now: number): TransitionResult {
  const s = agent.state;
  switch (event.type) {
    case 'login':
      return s.status === 'logged-out' ? moved(agent, { status: 'not-ready', reason: 'login' }, null, now) : refused(agent, event);
    case 'logout':
      return s.status === 'ready' || s.status === 'not-ready' || s.status === 'wrap-up'
        ? moved(agent, { status: 'logged-out' }, null, now) : refused(agent, event);
    case 'ready':
      return s.status === 'not-ready' || s.status === 'wrap-up' ? moved(agent, { status: 'ready' }, now, now) : refused(agent, event);
    case 'not-ready':
      return s.status === 'ready' || s.status === 'not-ready' || s.status === 'wrap-up'
        ? moved(agent, { status: 'not-ready', reason: event.reason }, null, now) : refused(agent, event);
    case 'reserve':
      return s.status === 'ready'
        ? moved(agent, { status: 'reserved', callId: event.callId, queueId: event.queueId, reservedUntil: event.reservedUntil }, agent.idleSince, now)
        : refused(agent, event);
    case 'release':
      // The agent did no work for this caller: it keeps its place in the longest-idle order.
      return s.status === 'reserved' || s.status === 'ringing' ? moved(agent, { status: 'ready' }, agent.idleSince, now) : refused(agent, event);
    case 'ring':
      return s.status === 'reserved'
        ? moved(agent, event.ringEndsAt === undefined
          ? { status: 'ringing', callId: s.callId, queueId: s.queueId, reservedUntil: event.ringUntil }
          : { status: 'ringing', callId: s.callId, queueId: s.queueId, reservedUntil: event.ringUntil, ringEndsAt: event.ringEndsAt }, agent.idleSince, now)
        : refused(agent, event);
    case 'answer':
      // reserved → on-call too: auto-answer phones can report the answer without a ring.
      return s.status === 'reserved' || s.status === 'ringing'
        ? moved(agent, { status: 'on-call', callId: s.callId, queueId: s.queueId }, null, now) : refused(agent, event);
    case 'no-answer':
      return s.status === 'reserved' || s.status === 'ringing' ? moved(agent, { status: 'not-ready', reason: 'no-answer' }, null, now) : refused(agent, event);
    case 'wrap-up-done':
      if (s.status !== 'wrap-up') return refused(agent, event);
      return now >= s.until ? moved(agent, { status: 'ready' }, now, now) : { ok: false, error: { code: 'too-early', until: s.until, now } };
    case 'hangup':
      if (s.status !== 'on-call') return refused(agent, event);
      return event.wrapUpSeconds <= 0
        ? moved(agent, { status: 'ready' }, now, now)
        : moved(agent, { status: 'wrap-up', callId: s.callId, queueId: s.queueId, until: wrapUpEndsAt(now, event.wrapUpSeconds) }, null, now);
  }
}

export function transitionOrThrow(agent: AgentSnapshot, event: AgentEvent, now: number): AgentSnapshot {
  const r = transition(agent, event, now);
  if (!r.ok) throw new AgentTransitionError(r.error);
  return r.agent;
}

/** Logged in: counts toward "agents logged in for the queue" (no-agents overflow). */
export function isLoggedIn(status: AgentStatus): boolean {
  return status !== 'logged-out';
}

/** Serving: logged in and not on a not-ready break; the divisor of the wait estimate. */
export function isServing(status: AgentStatus): boolean {
  return status !== 'logged-out' && status !== 'not-ready';
}

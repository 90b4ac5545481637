/**
 * Leaving from any state (docs/architecture.md, call path step 8): the caller hangs up, the router releases the call
 * to the FreeSWITCH dialplan (drain), or something failed. The ACD is told exactly what it must
 * know (caller left / conversation ended) and the record is written once, on reaching `done`.
 */
import { ignore, to } from './initial.js';
import { next, type StatePatch } from './next-state.js';
import { buildRecord, type CallOutcome } from './record.js';
import type { CallCommand, CallEvent, CallPhase, CallState, Transition } from './types.js';

const WAITING: ReadonlySet<CallPhase> = new Set(['enqueuing', 'queued', 'ringing-agent']);

/** A caller talking, being surveyed or being said goodbye to is not handed back to the dialplan. */
const KEEP_ON_RELEASE: ReadonlySet<CallPhase> = new Set(['ringing-agent', 'bridged', 'subcenter-bridged', 'survey', 'ending', 'done']);

/** Whether a `release` event hands the call back to the dialplan in this phase. */
export function releasable(phase: CallPhase): boolean {
  return !KEEP_ON_RELEASE.has(phase);
}

function abandonOutcome(s: CallState, at: number): CallOutcome {
  // Waiting starts at queue entry; for a sub-center being rung, at arrival (there is no queue yet).
  const since = s.queuedAt ?? (s.hops.some((h) => 'subcenter' in h) || s.phase === 'subcenter-ringing' ? s.arrivedAt : undefined);
  if (since === undefined) return 'left-before-queue';
  return at - since < s.policy.shortAbandonSeconds * 1000 ? 'short-abandoned' : 'abandoned';
}

function leaveAcd(s: CallState): CallCommand[] {
  if (s.phase === 'bridged' && s.agentId !== undefined && !s.agentReleased) return [{ kind: 'acd-conversation-ended', agentId: s.agentId }];
  if (!WAITING.has(s.phase)) return [];
  return [{ kind: 'cancel-timer', name: 'announce' }, { kind: 'acd-caller-left' }];
}

/** `last`: what the leaving event itself changed, in the same copy. */
function done(s: CallState, last: StatePatch, outcome: CallOutcome, at: number, commands: CallCommand[]): Transition {
  const final: CallState = next(s, last, { phase: 'done', outcome, endedAt: at });
  return to(final, ...commands, { kind: 'record', record: buildRecord(final, outcome, at) });
}

export function onCallerHangup(s: CallState, e: Extract<CallEvent, { kind: 'caller-hangup' }>): Transition {
  if (s.phase === 'done') return ignore(s);
  const outcome = s.outcome ?? abandonOutcome(s, e.at);
  const survey = s.phase === 'survey' ? s.survey ?? 'none' : s.survey;
  return done(s, { hangupCause: e.cause, survey }, outcome, e.at, leaveAcd(s));
}

export function onRelease(s: CallState, e: Extract<CallEvent, { kind: 'release' | 'error' }>): Transition {
  if (KEEP_ON_RELEASE.has(s.phase)) return ignore(s);
  const error = e.kind === 'error' ? e.message : undefined;
  const commands: CallCommand[] = [...leaveAcd(s)];
  if (s.holding !== undefined) commands.push({ kind: 'break-media' });
  commands.push({ kind: 'release' });
  return done(s, { error: error ?? s.error, holding: undefined }, 'released', e.at, commands);
}

/** step(state, event) → { state, commands }: the whole call path of docs/architecture.md, pure. */
import { onBridged, onEnding, onSurvey } from './conversation.js';
import { ignore } from './initial.js';
import { onCallerHangup, onRelease } from './leave.js';
import { onEnqueuing, onQueued, onRingingAgent } from './queue.js';
import { onAnswering, onPrompting, onRouting, onSubcenterBridged, onSubcenterRinging } from './start.js';
import type { CallEvent, CallPhase, CallState, Transition } from './types.js';

type Handler = (s: CallState, e: CallEvent) => Transition;

const BY_PHASE: Readonly<Record<CallPhase, Handler>> = {
  'routing': onRouting,
  'answering': onAnswering,
  'prompting': onPrompting,
  'enqueuing': onEnqueuing,
  'queued': onQueued,
  'ringing-agent': onRingingAgent,
  'subcenter-ringing': onSubcenterRinging,
  'subcenter-bridged': onSubcenterBridged,
  'bridged': onBridged,
  'survey': onSurvey,
  'ending': onEnding,
  'done': ignore,
};

export function step(s: CallState, e: CallEvent): Transition {
  if (e.kind === 'caller-hangup') return onCallerHangup(s, e);
  if (e.kind === 'release') return onRelease(s, e);
  // A failure in the survey still ends the call politely; elsewhere the dialplan fallback takes over.
  if (e.kind === 'error' && s.phase !== 'survey') return onRelease(s, e);
  return BY_PHASE[s.phase](s, e);
}

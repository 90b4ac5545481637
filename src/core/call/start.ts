/**
 * From arrival to the queue (docs/architecture.md, call path steps 1–4): route, answer, the one short prompt, enqueue.
 * A sub-center line that is open rings its seats first, without answering (the sub-center
 * answers its own callers); no answer there lands the caller in its fallback queue.
 */
import type { RouteDecision } from '../routing/index.js';
import type { ShedReason } from '../capacity/index.js';
import { rejectCause } from './causes.js';
import { buildRecord } from './record.js';
import { ignore, to } from './initial.js';
import { NO_CHANGE, next, type StatePatch } from './next-state.js';
import type { CallCommand, CallEvent, CallState, Transition } from './types.js';

export function onRouting(s: CallState, e: CallEvent): Transition {
  if (e.kind !== 'route-decided') return ignore(s);
  if (e.shed !== undefined && e.decision.kind !== 'reject') return shed(s, e.decision, e.shed, e.at);
  return decide(s, e.decision);
}

/** Over capacity: never answered, straight back to the dialplan (whose fallback rings the pool), counted as released on its line. */
function shed(s: CallState, d: Exclude<RouteDecision, { kind: 'reject' }>, reason: ShedReason, at: number): Transition {
  const line = { number: d.line.number, name: d.line.name, mode: d.line.mode };
  const final: CallState = next(s, { phase: 'done', line, priority: d.priority, shed: reason, outcome: 'released', endedAt: at });
  return to(final, { kind: 'release' }, { kind: 'record', record: buildRecord(final, 'released', at) });
}

function decide(s: CallState, d: RouteDecision): Transition {
  if (d.kind === 'reject') {
    // Never answered: the carrier sees the mapped SIP status and the caller pays nothing.
    return to(next(s, { phase: 'ending', rejected: { sipStatus: d.sipStatus, reason: d.reason }, outcome: 'rejected' }),
      { kind: 'hangup', cause: rejectCause(d.sipStatus) });
  }
  const line = { number: d.line.number, name: d.line.name, mode: d.line.mode };
  if (d.kind === 'subcenter') {
    const subcenter = { dial: d.dial, noAnswerSeconds: d.noAnswerSeconds, fallbackQueue: d.fallbackQueue };
    return to(next(s, { phase: 'subcenter-ringing', line, priority: d.priority, subcenter, queueId: d.fallbackQueue }),
      { kind: 'bridge', target: 'subcenter', dial: d.dial, ringSeconds: d.noAnswerSeconds });
  }
  const hops = (d.overflowedFrom ?? []).map((h) => ('queue' in h ? { queue: h.queue, reason: h.reason, entered: false } : { subcenter: h.subcenter, reason: h.reason }));
  return to(next(s, { phase: 'answering', line, priority: d.priority, prompts: d.prompts, queueId: d.queue, hops }),
    { kind: 'answer' });
}

export function onAnswering(s: CallState, e: CallEvent): Transition {
  if (e.kind !== 'answered') return ignore(s);
  const answered = { callAnsweredAt: e.at };
  if (s.prompts.length > 0) {
    const media = s.media + 1;
    return to(next(s, answered, { phase: 'prompting', media, prompts: [] }),
      { kind: 'play', media, prompts: s.prompts.map((id) => ({ kind: 'prompt', id })) });
  }
  return enqueue(s, e.at, answered);
}

export function onPrompting(s: CallState, e: CallEvent): Transition {
  if (e.kind !== 'media-done' || e.media !== s.media) return ignore(s);
  return enqueue(s, e.at);
}

/**
 * Hold music starts with the enqueue, so the caller never hears silence while the ACD answers.
 * `answered`: the answer's own change, when the call goes straight from answering to the queue.
 */
function enqueue(s: CallState, at: number, answered?: StatePatch): Transition {
  const queueId = s.queueId;
  if (queueId === undefined) return to(next(s, answered ?? NO_CHANGE, { phase: 'ending', error: 'no queue to enqueue into' }), { kind: 'release' });
  const media = s.media + 1;
  const commands: CallCommand[] = [
    { kind: 'acd-enqueue', queueId, priority: s.priority, line: s.line?.number ?? '', ...(s.caller === undefined ? {} : { caller: s.caller }) },
    { kind: 'hold', media },
  ];
  return to(next(s, answered ?? NO_CHANGE, { phase: 'enqueuing', media, holding: 'hold', queuedAt: at }), ...commands);
}

export function onSubcenterRinging(s: CallState, e: CallEvent): Transition {
  const sc = s.subcenter;
  if (sc === undefined) return ignore(s);
  if (e.kind === 'bridge-answered') {
    return to(next(s, { phase: 'subcenter-bridged', connectedAt: e.at, outcome: 'subcenter-answered' }));
  }
  if (e.kind === 'bridge-failed') {
    // Closed, unreachable or no answer in time: the 12345 7×24 pool takes the call.
    const hops = [...s.hops, { subcenter: s.line?.number ?? sc.dial, reason: e.outcome }];
    return to(next(s, { phase: 'answering', hops, queueId: sc.fallbackQueue, prompts: [] }), { kind: 'answer' });
  }
  return ignore(s);
}

export function onSubcenterBridged(s: CallState, e: CallEvent): Transition {
  if (e.kind !== 'bridge-ended') return ignore(s);
  return to(next(s, { phase: 'ending' }), { kind: 'hangup', cause: 'NORMAL_CLEARING' });
}

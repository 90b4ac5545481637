/**
 * transferStep(state, event) → { state, commands }: consult → three-way → complete | cancel, and
 * the failure paths, pure. The caller, the 12345 agent and the target share the call's
 * conference once the first consult starts; commands say what to do to each leg.
 *
 * After a completed transfer the agent is gone; an emergency line (always allowed) may still be
 * added — it is dialled into the conference without putting the caller on hold, and joins the
 * conversation when it answers.
 */
import { endLeg, holdCommand, ignore, newLeg, to, updateLeg } from './legs.js';
import { checkStart } from './rules.js';
import type { TransferCommand, TransferEvent, TransferLeg, TransferState, TransferTransition } from './types.js';

type Ev<K extends TransferEvent['kind']> = Extract<TransferEvent, { kind: K }>;

const refuse = (s: TransferState, code: 'HOTLINE_ERR_TRANSFER_STATE', reason: string): TransferTransition =>
  to(s, { kind: 'refused', refusal: { code, reason } });

function start(s: TransferState, e: Ev<'start'>): TransferTransition {
  const refusal = checkStart(s, e.target, e.at);
  if (refusal !== undefined) return to(s, { kind: 'refused', refusal });
  const leg = newLeg(s, e.target, e.agentId, e.at);
  const hold: TransferCommand[] = s.agentPresent ? [holdCommand(s)] : [];
  return to({ ...s, phase: 'consulting', inConference: true, current: leg },
    ...hold, { kind: 'dial-target', legId: leg.legId, dial: e.target.dial, ringSeconds: e.target.ringSeconds, number: e.target.number });
}

/** The attempt under way is over without a hand-over: back to the caller (or to whoever is left). */
function attemptOver(s: TransferState, leg: TransferLeg, extra: readonly TransferCommand[], unhold: boolean): TransferTransition {
  const next: TransferState = { ...s, current: undefined, legs: [...s.legs, leg], phase: s.agentPresent ? 'idle' : 'completed' };
  const cmds: TransferCommand[] = [...(unhold && s.agentPresent ? [{ kind: 'unhold-caller' } as const] : []), ...extra, { kind: 'leg-ended', leg }];
  if (!s.agentPresent && s.joined.length === 0) return conversationOver(next, cmds);
  return to(next, ...cmds);
}

function conversationOver(s: TransferState, before: readonly TransferCommand[]): TransferTransition {
  return to({ ...s, phase: 'ended' }, ...before, { kind: 'release-caller' }, { kind: 'notify-session', notice: 'conversation-over' });
}

function answered(s: TransferState, leg: TransferLeg, e: Ev<'target-answered'>): TransferTransition {
  if (leg.answeredAt !== undefined) return ignore(s);
  const withAnswer: TransferLeg = { ...leg, answeredAt: e.at, ...(s.agentPresent ? {} : { threeWayAt: e.at }) };
  return to({ ...s, current: withAnswer, phase: s.agentPresent ? 'consulting' : 'three-way' });
}

function failed(s: TransferState, leg: TransferLeg, e: Ev<'target-failed'>): TransferTransition {
  if (leg.answeredAt !== undefined) return ignore(s);
  const ended = endLeg(leg, e.reason, e.at, e.cause);
  return attemptOver(s, ended, [{
    kind: 'work-order', legId: leg.legId, target: leg.target, number: leg.number, targetKind: leg.kind,
    reason: e.reason, cause: e.cause, agentId: leg.agentId, at: e.at,
  }], true);
}

function threeWay(s: TransferState, leg: TransferLeg, e: Ev<'three-way'>): TransferTransition {
  if (s.phase === 'three-way') return ignore(s);
  if (leg.answeredAt === undefined) return refuse(s, 'HOTLINE_ERR_TRANSFER_STATE', 'the target has not answered yet');
  return to({ ...s, phase: 'three-way', current: { ...leg, threeWayAt: e.at } }, { kind: 'unhold-caller' });
}

/** The agent leaves (asked to, or hung up): caller and target stay in the conference. */
function complete(s: TransferState, leg: TransferLeg, at: number, agentAlreadyGone: boolean): TransferTransition {
  if (leg.answeredAt === undefined) return refuse(s, 'HOTLINE_ERR_TRANSFER_STATE', 'the target has not answered yet');
  const done: TransferLeg = { ...leg, threeWayAt: leg.threeWayAt ?? at, completedAt: at, outcome: 'completed' };
  const cmds: TransferCommand[] = [];
  if (s.phase === 'consulting') cmds.push({ kind: 'unhold-caller' });
  if (s.agentPresent) {
    if (!agentAlreadyGone) cmds.push({ kind: 'hangup-agent' });
    cmds.push({ kind: 'notify-session', notice: 'agent-left' });
  }
  return to({ ...s, phase: 'completed', agentPresent: false, current: undefined, legs: [...s.legs, done], joined: [...s.joined, leg.legId] }, ...cmds);
}

function cancel(s: TransferState, leg: TransferLeg, at: number): TransferTransition {
  const ended = endLeg(leg, 'cancelled', at);
  return attemptOver(s, ended, [{ kind: 'hangup-target', legId: leg.legId, cause: 'NORMAL_CLEARING' }], true);
}

function targetHangup(s: TransferState, e: Ev<'target-hangup'>): TransferTransition {
  const leg = s.current;
  if (leg?.legId === e.legId && leg.answeredAt !== undefined) {
    return attemptOver(s, endLeg(leg, 'target-left', e.at, e.cause), [], s.phase === 'consulting');
  }
  if (!s.joined.includes(e.legId)) return ignore(s);
  const done = s.legs.find((l) => l.legId === e.legId);
  const ended: TransferLeg | undefined = done && { ...done, endedAt: e.at, cause: e.cause };
  const next: TransferState = { ...s, joined: s.joined.filter((id) => id !== e.legId), legs: ended ? updateLeg(s.legs, ended) : s.legs };
  const cmds: TransferCommand[] = ended ? [{ kind: 'leg-ended', leg: ended }] : [];
  if (next.joined.length === 0 && next.current === undefined && !next.agentPresent) return conversationOver(next, cmds);
  return to(next, ...cmds);
}

function agentHangup(s: TransferState, e: Ev<'agent-hangup'>): TransferTransition {
  if (!s.agentPresent || !s.inConference) return ignore(s);
  const leg = s.current;
  // Hanging up during consult or three-way hands the caller over, as att_xfer does.
  if (leg?.answeredAt !== undefined) return complete(s, leg, e.at, true);
  const gone: TransferState = { ...s, agentPresent: false };
  const notice: TransferCommand = { kind: 'notify-session', notice: 'agent-left' };
  if (leg !== undefined) {
    const ended = endLeg(leg, 'agent-left', e.at, e.cause);
    return conversationOver({ ...gone, current: undefined, legs: [...s.legs, ended] },
      [{ kind: 'hangup-target', legId: leg.legId, cause: 'ORIGINATOR_CANCEL' }, { kind: 'leg-ended', leg: ended }, notice]);
  }
  return conversationOver(gone, [notice]);
}

function callerHangup(s: TransferState, e: Ev<'caller-hangup'>): TransferTransition {
  if (!s.inConference) return to({ ...s, phase: 'ended' });
  const cmds: TransferCommand[] = [];
  let legs = [...s.legs];
  const leg = s.current;
  if (leg !== undefined) {
    const ended = endLeg(leg, 'caller-left', e.at, e.cause);
    legs.push(ended);
    cmds.push({ kind: 'hangup-target', legId: leg.legId, cause: 'NORMAL_CLEARING' }, { kind: 'leg-ended', leg: ended });
  }
  for (const id of s.joined) {
    const done = legs.find((l) => l.legId === id);
    if (done === undefined) continue;
    const ended: TransferLeg = { ...done, endedAt: e.at };
    legs = updateLeg(legs, ended);
    cmds.push({ kind: 'hangup-target', legId: id, cause: 'NORMAL_CLEARING' }, { kind: 'leg-ended', leg: ended });
  }
  if (s.agentPresent) cmds.push({ kind: 'hangup-agent' });
  return to({ ...s, phase: 'ended', current: undefined, legs, joined: [] }, ...cmds);
}

export function transferStep(s: TransferState, e: TransferEvent): TransferTransition {
  if (s.phase === 'ended') return e.kind === 'start' ? refuse(s, 'HOTLINE_ERR_TRANSFER_STATE', 'the conversation is over') : ignore(s);
  switch (e.kind) {
    case 'start': return start(s, e);
    case 'caller-hangup': return callerHangup(s, e);
    case 'agent-hangup': return agentHangup(s, e);
    case 'target-hangup': return targetHangup(s, e);
    default: break;
  }
  const leg = s.current;
  if (leg === undefined || (s.phase !== 'consulting' && s.phase !== 'three-way')) {
    const stale = e.kind === 'target-answered' || e.kind === 'target-failed';
    return stale ? ignore(s) : refuse(s, 'HOTLINE_ERR_TRANSFER_STATE', 'no transfer is under way');
  }
  switch (e.kind) {
    case 'target-answered': return e.legId === leg.legId ? answered(s, leg, e) : ignore(s);
    case 'target-failed': return e.legId === leg.legId ? failed(s, leg, e) : ignore(s);
    case 'three-way': return threeWay(s, leg, e);
    case 'complete': return complete(s, leg, e.at, false);
    case 'cancel': return cancel(s, leg, e.at);
  }
}

/** Small helpers the transfer machine builds its transitions from. */
import type { LegOutcome, TransferCommand, TransferLeg, TransferState, TransferTarget, TransferTransition } from './types.js';

export function initialTransferState(callSid: string): TransferState {
  return { callSid, phase: 'idle', inConference: false, agentPresent: true, current: undefined, legs: [], joined: [] };
}

export function to(state: TransferState, ...commands: TransferCommand[]): TransferTransition {
  return { state, commands };
}

export function ignore(state: TransferState): TransferTransition {
  return { state, commands: [] };
}

export function newLeg(s: TransferState, target: TransferTarget, agentId: string | undefined, at: number): TransferLeg {
  const n = s.legs.length + (s.current === undefined ? 0 : 1) + 1;
  return {
    legId: `${s.callSid}-t${n}`, target: target.id, kind: target.kind, number: target.number, agentId,
    startedAt: at, answeredAt: undefined, threeWayAt: undefined, completedAt: undefined,
    endedAt: undefined, outcome: undefined, cause: undefined,
  };
}

export function endLeg(leg: TransferLeg, outcome: LegOutcome, at: number, cause?: string): TransferLeg {
  return { ...leg, outcome, endedAt: at, cause: cause ?? leg.cause };
}

/** Replaces a finished leg (matched by id) in the history. */
export function updateLeg(legs: readonly TransferLeg[], leg: TransferLeg): TransferLeg[] {
  return legs.map((l) => (l.legId === leg.legId ? leg : l));
}

export const holdCommand = (s: TransferState): TransferCommand =>
  (s.inConference ? { kind: 'hold-caller' } : { kind: 'enter-conference' });

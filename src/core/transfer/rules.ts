/**
 * Whether a transfer may start, and why not. Pure functions with reasons, so the HTTP API, the
 * DTMF feature code and the machine refuse with the same words.
 */
import { openAt } from '../schedule/index.js';
import type { Refusal, TransferState, TransferTarget } from './types.js';

export const isEmergency = (t: Pick<TransferTarget, 'kind'>): boolean => t.kind === 'emergency';

/**
 * 来电最多接转一次: once a call has been handed over (a completed non-emergency leg) it is not
 * transferred again — except to an emergency line, which is always allowed. Cancelled and failed
 * attempts do not count: the caller never left the 12345 agent.
 */
export function atMostOnce(state: Pick<TransferState, 'legs' | 'current'>, target: TransferTarget): Refusal | undefined {
  if (isEmergency(target)) return undefined;
  const done = [...state.legs, ...(state.current ? [state.current] : [])]
    .find((l) => l.completedAt !== undefined && l.kind !== 'emergency');
  if (done === undefined) return undefined;
  return { code: 'HOTLINE_ERR_TRANSFER_LIMIT', reason: `call was already transferred to ${done.target} (来电最多接转一次); only emergency lines 110/119/120/122 remain` };
}

/** A sub-center outside its opening hours cannot take the call; the schedule says why. */
export function targetOpen(target: TransferTarget, at: number): Refusal | undefined {
  if (target.schedule === undefined) return undefined;
  const s = openAt(target.schedule, at);
  if (s.open) return undefined;
  return { code: 'HOTLINE_ERR_TARGET_CLOSED', reason: `sub-center ${target.name} (${target.number}) is closed now: ${s.why}` };
}

/** Only a call in conversation with its agent, and no other transfer under way, can start one. */
export function phaseAllowsStart(state: Pick<TransferState, 'phase'>): Refusal | undefined {
  if (state.phase === 'idle') return undefined;
  if (state.phase === 'completed') return undefined; // limit rule decides (emergency still allowed)
  return { code: 'HOTLINE_ERR_TRANSFER_STATE', reason: `a transfer is ${state.phase === 'ended' ? 'over for this call' : `already under way (${state.phase})`}` };
}

/** Every rule in order; the first refusal wins. */
export function checkStart(state: TransferState, target: TransferTarget, at: number): Refusal | undefined {
  return phaseAllowsStart(state) ?? atMostOnce(state, target) ?? targetOpen(target, at);
}

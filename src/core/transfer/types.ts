/**
 * Three-party transfer (三方转接, README: Transfers) as plain data: (state, event) → (state, commands).
 * One TransferState per call; it outlives single attempts so the at-most-once rule
 * (来电最多接转一次) can look at every earlier leg. Time only comes in on events (`at`, epoch ms).
 */
import type { CompiledSchedule } from '../schedule/index.js';

export type TargetKind = 'subcenter' | 'emergency' | 'region';

/** A transfer target as the registry defines it, resolved from an id or a number. */
export interface TransferTarget {
  /** transferTargets[].id, or the sub-center's line number. */
  readonly id: string;
  readonly kind: TargetKind;
  readonly name: string;
  readonly number: string;
  readonly dial: string;
  /** Ring at most this long (sub-center: its noAnswerSeconds). */
  readonly ringSeconds: number;
  /** Sub-centers only: their opening hours. */
  readonly schedule?: CompiledSchedule;
  readonly scheduleId?: string;
}

/** How one transfer leg ended. */
export type LegOutcome =
  | 'completed'     // the 12345 agent left; caller and target stayed connected
  | 'cancelled'     // the agent took the caller back
  | 'no-answer' | 'busy' | 'unreachable'
  | 'target-left'   // the target hung up before the hand-over was completed
  | 'agent-left'    // the agent hung up before the target was in the three-way call
  | 'caller-left';  // the caller hung up during the transfer

export type FailureReason = Extract<LegOutcome, 'no-answer' | 'busy' | 'unreachable'>;

/** One dialled target, as it goes into the call record. */
export interface TransferLeg {
  readonly legId: string;
  readonly target: string;
  readonly kind: TargetKind;
  readonly number: string;
  readonly agentId: string | undefined;
  readonly startedAt: number;
  readonly answeredAt: number | undefined;
  /** When the caller first heard the target (three-way). */
  readonly threeWayAt: number | undefined;
  /** When the 12345 agent left (completed transfers). */
  readonly completedAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly outcome: LegOutcome | undefined;
  readonly cause: string | undefined;
}

export type TransferPhase =
  | 'idle'        // no transfer under way: caller and agent talk (bridge, or the conference after a cancel)
  | 'consulting'  // caller on hold; the target rings (`leg.answeredAt` unset) or talks to the agent
  | 'three-way'   // all three hear each other
  | 'completed'   // the agent left: caller and target talk
  | 'ended';      // the conversation is over (or the caller left): nothing more to do

export interface TransferState {
  readonly callSid: string;
  readonly phase: TransferPhase;
  /** Caller and agent were moved into the call's conference (first consult). */
  readonly inConference: boolean;
  /** The 12345 agent is still on the call (false once a transfer completed or the agent hung up). */
  readonly agentPresent: boolean;
  /** Completed legs whose target is still talking with the caller. */
  readonly joined: readonly string[];
  /** The attempt under way (consulting, three-way, completed). */
  readonly current: TransferLeg | undefined;
  /** Finished legs, in order. */
  readonly legs: readonly TransferLeg[];
}

export type TransferEvent =
  | { readonly kind: 'start'; readonly at: number; readonly target: TransferTarget; readonly agentId: string | undefined }
  | { readonly kind: 'target-answered'; readonly at: number; readonly legId: string }
  | { readonly kind: 'target-failed'; readonly at: number; readonly legId: string; readonly reason: FailureReason; readonly cause: string }
  | { readonly kind: 'three-way'; readonly at: number }
  | { readonly kind: 'complete'; readonly at: number }
  | { readonly kind: 'cancel'; readonly at: number }
  | { readonly kind: 'target-hangup'; readonly at: number; readonly legId: string; readonly cause: string }
  | { readonly kind: 'agent-hangup'; readonly at: number; readonly cause: string }
  | { readonly kind: 'caller-hangup'; readonly at: number; readonly cause: string };

/** What the conversation became, for the call session (see the integration notes in the app layer). */
export type SessionNotice =
  /** The agent left the call (transfer completed, or hung up): the ACD may start the agent's wrap-up. */
  | 'agent-left'
  /** Nobody is left with the caller: the caller is back under the call session's control (survey, goodbye). */
  | 'conversation-over';

export type TransferCommand =
  | { readonly kind: 'enter-conference' }
  | { readonly kind: 'hold-caller' }
  | { readonly kind: 'unhold-caller' }
  | { readonly kind: 'dial-target'; readonly legId: string; readonly dial: string; readonly ringSeconds: number; readonly number: string }
  | { readonly kind: 'hangup-target'; readonly legId: string; readonly cause: string }
  | { readonly kind: 'hangup-agent' }
  | { readonly kind: 'release-caller' }
  | { readonly kind: 'work-order'; readonly legId: string; readonly target: string; readonly number: string; readonly targetKind: TargetKind; readonly reason: FailureReason; readonly cause: string; readonly agentId: string | undefined; readonly at: number }
  | { readonly kind: 'notify-session'; readonly notice: SessionNotice }
  | { readonly kind: 'leg-ended'; readonly leg: TransferLeg }
  | { readonly kind: 'refused'; readonly refusal: Refusal };

export interface TransferTransition {
  readonly state: TransferState;
  readonly commands: readonly TransferCommand[];
}

export type RefusalCode =
  | 'HOTLINE_ERR_TRANSFER_LIMIT'
  | 'HOTLINE_ERR_TARGET_CLOSED'
  | 'HOTLINE_ERR_UNKNOWN_TARGET'
  | 'HOTLINE_ERR_TRANSFER_STATE';

export interface Refusal {
  readonly code: RefusalCode;
  readonly reason: string;
}

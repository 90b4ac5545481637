/**
 * What the transfer service needs from the rest of the router. TransferControl is the media
 * server (src/adapters/esl/transfer-control.ts over ESL); TransferCalls is the call session
 * layer — the integration hooks the CallManager provides (see ./README-hooks in the service doc).
 */
import type { LegOutcome, SessionNotice, TargetKind, TransferLeg } from '../../core/transfer/index.js';

/** The three channels of a transfer and the call's conference. */
export interface CallLegs {
  readonly callSid: string;
  /** `hotline-<callSid>`: one conference per call, made on the first consult. */
  readonly conference: string;
  readonly callerUuid: string;
  /** The agent's leg; found from the caller's bridge when the session does not know it. */
  readonly agentUuid: string | undefined;
}

export interface DialRequest {
  readonly legId: string;
  readonly dial: string;
  readonly ringSeconds: number;
  /** Caller id the target sees: the hotline line the caller dialled. */
  readonly callerIdNumber: string | undefined;
}

export type DialOutcome =
  | { readonly kind: 'answered' }
  | { readonly kind: 'no-answer' | 'busy' | 'unreachable'; readonly cause: string };

export interface TransferControl {
  /** Takes caller and agent out of their bridge into the conference; the caller ends on hold. Resolves with the agent leg's uuid. */
  enterConference(legs: CallLegs): Promise<{ readonly agentUuid: string }>;
  holdCaller(legs: CallLegs): Promise<void>;
  unholdCaller(legs: CallLegs): Promise<void>;
  /** Rings the target into the conference; `uuid` is known at once (to cancel the ringing). */
  dialTarget(legs: CallLegs, req: DialRequest): { readonly uuid: string; readonly outcome: Promise<DialOutcome> };
  /** Hangs a channel up (agent or target); a channel already gone is not an error. */
  hangup(uuid: string, cause: string): Promise<void>;
  /** Takes the caller out of the conference back to the call session (park); the others are hung up. */
  releaseCaller(legs: CallLegs): Promise<void>;
  /** Hang-ups of any channel (from the inbound ESL events); returns an unsubscribe. */
  onHangup(listener: (uuid: string, cause: string) => void): () => void;
}

/** A call as the transfer service sees it, provided by the call session layer. */
export interface TransferableCall {
  readonly callSid: string;
  readonly callerUuid: string;
  readonly agentUuid: string | undefined;
  readonly agentId: string | undefined;
  /** The dialled line (hotline number for 12345 calls). */
  readonly line: string | undefined;
  /** True while the caller talks to a 12345 agent (call phase `bridged`). */
  readonly bridgedToAgent: boolean;
  /** The FreeSWITCH holding the call's channels (its switchname, `FreeSWITCH-Switchname`), when known. */
  readonly freeswitch?: string | undefined;
  /** That FreeSWITCH process's Core-UUID (channel data `Core-UUID`): tells apart nodes sharing a switchname. */
  readonly freeswitchCore?: string | undefined;
}

/** Hooks into the call sessions (the lead wires them into CallManager / CallSession). */
export interface TransferCalls {
  get(callSid: string): TransferableCall | undefined;
  byAgentLeg(agentUuid: string): TransferableCall | undefined;
  /**
   * The transfer takes over the caller's media: from now on the session must not act on the end
   * of its bridge (FreeSWITCH ends it when the legs move into the conference) nor play anything.
   */
  takeOver(callSid: string): void;
  /** What became of the conversation: `agent-left` (ACD wrap-up), `conversation-over` (caller parked again: survey, goodbye). */
  notify(callSid: string, notice: SessionNotice): void;
}

/** The work order raised when a target does not answer, is busy or unreachable. */
export interface WorkOrder {
  readonly type: 'transfer-failed';
  readonly callSid: string;
  readonly line: string | undefined;
  readonly target: string;
  readonly targetNumber: string;
  readonly targetKind: TargetKind;
  readonly reason: 'no-answer' | 'busy' | 'unreachable';
  readonly cause: string;
  /** ISO-8601 instant. */
  readonly at: string;
  readonly agentId: string | undefined;
  readonly legId: string;
}

/** Delivers work orders without blocking the call (the webhook outbox). */
export interface WorkOrderSink {
  submit(order: WorkOrder): void;
}

export type TransferMetricOutcome = LegOutcome | 'refused-limit' | 'refused-closed';

export interface TransferMetrics {
  count(target: string, kind: TargetKind, outcome: TransferMetricOutcome): void;
}

/** Every leg when it ends (for the call record and department data sharing). */
export interface TransferLegSink {
  add(callSid: string, leg: TransferLeg): void;
}

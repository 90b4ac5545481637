/**
 * The seam between a call session and the ACD. A session never touches the store or the
 * dispatcher: it puts its caller in line, is told when an agent has been reserved for it or when
 * it was moved to another queue, and reports what happened at the agent's phone.
 * One implementation (AcdService) serves both the in-memory and the Redis store.
 */

export type OverflowReason = 'max-wait' | 'no-agents' | 'closed' | 'full';

export interface AssignedAgent {
  readonly id: string;
  readonly name: string;
  /** FreeSWITCH dial string from the registry, e.g. user/1001 */
  readonly dial: string;
}

/** Pushed to the session that owns the caller. */
export type QueueNotice =
  /** An agent is reserved for this caller: ring them now (break hold music at once). */
  | { readonly kind: 'assigned'; readonly queueId: string; readonly agent: AssignedAgent; readonly ringSeconds: number }
  /** The caller was moved (seniority kept): announce nothing special, keep holding. */
  | { readonly kind: 'overflowed'; readonly from: string; readonly to: string; readonly reason: OverflowReason };

export interface EnqueueRequest {
  readonly callId: string;
  /** The queue routing chose; admission control may land the caller further down its overflow chain. */
  readonly queueId: string;
  readonly priority: number;
  /** The dialed line (number), for agents and metrics. */
  readonly line: string;
  /** The caller's number, for the waiting-calls list (masked there); optional, never logged. */
  readonly caller?: string;
  /** Epoch ms the caller first entered any queue; kept across overflow and re-queue. Default: now. */
  readonly seniority?: number;
}

export interface Enqueued {
  /** Where the caller actually waits. */
  readonly queueId: string;
  /** Queues skipped on admission (closed, no agents logged in, full), in order. */
  readonly skipped: readonly { readonly queueId: string; readonly reason: OverflowReason }[];
  readonly position: number;
}

export interface WaitStatus {
  readonly queueId: string;
  /** 1-based: 1 means next. */
  readonly position: number;
  /** Whole minutes, never 0; null when no agent serves the queue (say nothing rather than guess). */
  readonly estimatedWaitMinutes: number | null;
}

export interface CallAcd {
  /** Puts the caller in line; notices for it go to `listener` until it leaves. */
  enqueue(req: EnqueueRequest, listener: (notice: QueueNotice) => void): Promise<Enqueued>;
  /** For position / estimated-wait announcements; null once the caller is no longer waiting. */
  status(callId: string): Promise<WaitStatus | null>;
  /** The reserved agent answered: agent on-call. */
  agentAnswered(callId: string, agentId: string): Promise<void>;
  /** The reserved agent did not answer in ringSeconds (or was busy / unreachable): the agent goes
   * not-ready (`no-answer`), the caller goes back in line at its old position and may be assigned again. */
  agentNoAnswer(callId: string, agentId: string): Promise<void>;
  /** The conversation is over (either side hung up): the agent goes to wrap-up. */
  conversationEnded(callId: string, agentId: string): Promise<void>;
  /** The caller hung up (or the session ended) while waiting or while an agent was being rung. */
  callerLeft(callId: string): Promise<void>;
}

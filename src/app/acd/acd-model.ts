/**
 * What the ACD service shows the outside: agent operations' errors, the read models behind the
 * agent API and the wall board, and the domain events the metrics will count.
 */
import type { AgentCounts } from '../../core/acd/store-port.js';
import type { AgentStatus, NotReadyReason } from '../../core/acd/types.js';
import type { OverflowReason } from './call-acd-port.js';

/** Reasons an agent may give for a break (the API's enum). */
export const PAUSE_REASONS = ['break', 'meeting', 'training', 'after-call-work', 'other'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** Not-ready reasons the agent picks, plus the two the system sets (login, no-answer). */
export type AgentReason = NotReadyReason | PauseReason;

/** HOTLINE_ERR_STORE_UNAVAILABLE: the shared store (Redis) cannot be reached; try again shortly (HTTP 503). */
export type AgentErrorCode = 'HOTLINE_ERR_UNKNOWN_AGENT' | 'HOTLINE_ERR_AGENT_STATE' | 'HOTLINE_ERR_STORE_UNAVAILABLE';

/** An agent operation was refused. `code` is stable: clients and the HTTP layer key on it. */
export class AgentOperationError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    readonly agentId: string,
    message: string,
    /** the agent's status when refused (HOTLINE_ERR_AGENT_STATE) */
    readonly state?: AgentStatus,
  ) {
    super(message);
    this.name = 'AgentOperationError';
  }
}

export interface AgentView {
  readonly id: string;
  readonly name: string;
  readonly dial: string;
  readonly queues: readonly string[];
  readonly status: AgentStatus;
  /** not-ready only */
  readonly reason?: AgentReason;
  /** reserved, ringing, on-call, wrap-up */
  readonly callId?: string;
  readonly queueId?: string;
  /** wrap-up only: epoch ms it ends */
  readonly wrapUpUntil?: number;
  /** epoch ms the current status began */
  readonly since: number;
}

export interface QueueView {
  readonly id: string;
  readonly name: string;
  readonly open: boolean;
  readonly overflow?: string;
  readonly waiting: number;
  /** seconds the longest-waiting caller has waited (since it first entered any queue); null when empty */
  readonly oldestWaitSeconds: number | null;
  readonly agents: AgentCounts;
}

export interface WaitingCallView {
  readonly callId: string;
  readonly queueId: string;
  /** the dialed line */
  readonly line: string | null;
  /** the caller's number in full: mask it before it leaves the process */
  readonly caller: string | null;
  readonly position: number;
  readonly priority: number;
  /** since the caller first entered any queue */
  readonly waitedSeconds: number;
  readonly overflowedFrom?: string;
}

/**
 * Domain events for metrics (answer rate, service level, abandon rate). `answered` and `left`
 * are there because an answer rate needs both ends of a wait, not only its start.
 */
export type AcdEvent =
  | { readonly type: 'enqueued'; readonly at: number; readonly callId: string; readonly queueId: string; readonly line: string;
    readonly skipped: readonly { readonly queueId: string; readonly reason: OverflowReason }[] }
  | { readonly type: 'overflowed'; readonly at: number; readonly callId: string; readonly from: string; readonly to: string;
    readonly reason: OverflowReason }
  /** `at` the ring step; `reservedAt` when the dispatcher (maybe another node) reserved the agent */
  | { readonly type: 'assigned'; readonly at: number; readonly callId: string; readonly queueId: string; readonly agentId: string; readonly reservedAt?: number }
  | { readonly type: 'answered'; readonly at: number; readonly callId: string; readonly queueId: string; readonly agentId: string;
    /** since the caller first entered any queue */
    readonly waitedMs: number }
  /** The caller hung up before an agent answered: while waiting or while an agent was rung. */
  | { readonly type: 'left'; readonly at: number; readonly callId: string; readonly queueId: string; readonly while: 'waiting' | 'ringing';
    readonly waitedMs: number }
  | { readonly type: 'agent-state'; readonly at: number; readonly agentId: string; readonly status: AgentStatus;
    readonly reason?: AgentReason; readonly callId?: string };

/** The subset of pino the service uses. */
export interface AcdLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

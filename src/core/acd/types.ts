/**
 * The ACD data model shared by the pure core, the store port and both stores.
 * Everything is immutable: a change produces a new snapshot with a bumped `version`,
 * which is what the stores compare-and-set on.
 */
import type { Queue } from '../../config/schema.js';

/** A registry queue together with its id (the registry keys queues by id). */
export type AcdQueue = Queue & { readonly id: string };

export const NOT_READY_REASONS = ['login', 'no-answer', 'break', 'meeting', 'training', 'after-call-work', 'other'] as const;
export type NotReadyReason = (typeof NOT_READY_REASONS)[number];

export type AgentState =
  | { readonly status: 'logged-out' }
  | { readonly status: 'ready' }
  /** Picked for a call, not yet ringing. `reservedUntil` lets a sweep free agents of a dead node. */
  | { readonly status: 'reserved'; readonly callId: string; readonly queueId: string; readonly reservedUntil: number }
  /**
   * The agent's phone rings until `ringEndsAt` (the bridge's originate timeout); the reservation
   * lives a little longer (`reservedUntil`) so the ringing node can report the outcome first.
   */
  | { readonly status: 'ringing'; readonly callId: string; readonly queueId: string; readonly reservedUntil: number; readonly ringEndsAt?: number }
  | { readonly status: 'on-call'; readonly callId: string; readonly queueId: string }
  | { readonly status: 'wrap-up'; readonly callId: string; readonly queueId: string; readonly until: number }
  | { readonly status: 'not-ready'; readonly reason: NotReadyReason };

export type AgentStatus = AgentState['status'];
export const AGENT_STATUSES: readonly AgentStatus[] = [
  'logged-out', 'ready', 'reserved', 'ringing', 'on-call', 'wrap-up', 'not-ready',
];

/** What the registry says about an agent (a registry `Agent` is assignable to this). */
export interface AgentProfile {
  readonly id: string;
  /** skill → level 1..10 */
  readonly skills: Readonly<Record<string, number>>;
  readonly queues: readonly string[];
}

export interface AgentSnapshot extends AgentProfile {
  readonly state: AgentState;
  /** epoch ms the current state began */
  readonly since: number;
  /**
   * epoch ms the agent last became available for a call; the longest-idle key.
   * Kept through a reservation that is released without a call (the agent did no work),
   * null whenever the agent is not available.
   */
  readonly idleSince: number | null;
  /** bumped on every change; reservations compare-and-set on it */
  readonly version: number;
}

export interface QueueEntry {
  readonly callId: string;
  readonly queueId: string;
  /** from the dialed line, 0..9: higher is served first */
  readonly priority: number;
  /** epoch ms the call first entered any queue; kept through overflow and re-queueing */
  readonly seniority: number;
  /** store-assigned tie-break for equal (priority, seniority); kept like seniority */
  readonly seq: number;
  /** epoch ms the call entered *this* queue; maxWaitSeconds counts from here */
  readonly enqueuedAt: number;
  /** dialed number, shown to the agent */
  readonly line?: string;
  /**
   * The caller's number, in full, for the waiting-calls view of every node (masked there by role).
   * Absent when unknown, and in entries written before nodes stored it.
   */
  readonly caller?: string;
  /** the queue this entry overflowed from, if any */
  readonly overflowedFrom?: string;
  /**
   * The router node holding the caller's FreeSWITCH socket (several nodes share one store).
   * An assignment for the caller is delivered to this node; a dead owner's entries are swept.
   * Absent on a single node. Kept through overflow and re-queueing like seniority.
   */
  readonly owner?: string;
}

/** What a caller brings to `enqueue`; a re-queued entry brings its old seniority and seq. */
export type NewQueueEntry = Omit<QueueEntry, 'queueId' | 'seniority' | 'seq'> & {
  readonly seniority?: number;
  readonly seq?: number;
};

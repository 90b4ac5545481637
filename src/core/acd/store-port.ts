/**
 * The ACD state store: one port, two implementations (in-memory for a single node, Redis for
 * several router nodes sharing one ACD). Every method is one atomic step of the store; the
 * multi-step flows (dispatch, no-answer → re-queue) live in src/app and tolerate races by
 * compare-and-set, which is what makes the Redis version (Lua per method) safe.
 *
 * Agents: profiles come from the registry (`upsertAgent`); state changes go through the pure
 * `transition` inside the store's atomic section. Callers: one waiting entry per call, kept
 * in (priority desc, seniority asc, seq asc) order.
 */
import type { AgentEvent, TransitionError } from './agent-state.js';
import type { AcdQueue, AgentProfile, AgentSnapshot, AgentStatus, NewQueueEntry, QueueEntry } from './types.js';

export type AgentUpdateError =
  | TransitionError
  | { readonly code: 'unknown-agent'; readonly agentId: string }
  | { readonly code: 'version-conflict'; readonly expected: number; readonly actual: number };

export type AgentUpdateResult =
  | { readonly ok: true; readonly agent: AgentSnapshot }
  | { readonly ok: false; readonly error: AgentUpdateError };

export interface ReserveRequest {
  readonly agentId: string;
  /** the version the dispatcher saw; anything else means someone got there first */
  readonly expectedVersion: number;
  readonly queueId: string;
  readonly callId: string;
  readonly reservedUntil: number;
  readonly now: number;
  /**
   * Several nodes: the node making the reservation. If it is reaped while the reservation is
   * still only reserved (it froze before handing it to the caller's node), the reap frees the agent.
   */
  readonly by?: string;
}

export type ReserveFailure = 'unknown-agent' | 'agent-changed' | 'agent-unavailable' | 'caller-gone';

export type ReserveResult =
  /** `at`: when the store made the reservation, by its own clock (Redis: TIME) — one order for every node. */
  | { readonly ok: true; readonly agent: AgentSnapshot; readonly entry: QueueEntry; readonly at?: number }
  | { readonly ok: false; readonly reason: ReserveFailure };

export type AgentCounts = Readonly<Record<AgentStatus, number>>;

export interface AcdStore {
  // ── agents ──
  /** Add or update an agent's skills and queues; a known agent keeps its state (and its version when nothing changed). */
  upsertAgent(profile: AgentProfile, now: number): Promise<AgentSnapshot>;
  getAgent(agentId: string): Promise<AgentSnapshot | null>;
  listAgents(): Promise<AgentSnapshot[]>;
  /** Login, logout, ready, not-ready, ring, answer, no-answer, hangup (and release/reserve). */
  applyAgentEvent(agentId: string, event: AgentEvent, now: number, expectedVersion?: number): Promise<AgentUpdateResult>;
  /** Ready agents serving the queue (skill filtering and ranking are the core's). */
  listCandidates(queueId: string): Promise<AgentSnapshot[]>;
  /**
   * The agent dispatch gives the queue's next caller: exactly `selectAgent(queue, listCandidates(queue.id))`
   * (the core's skills and policy), or null. One read per caller, without the whole candidate list.
   */
  bestCandidate(queue: Pick<AcdQueue, 'id' | 'skills' | 'selection'>): Promise<AgentSnapshot | null>;
  /** Agents serving the queue, by status: no-agents overflow, wait estimate, wall board. */
  agentCounts(queueId: string): Promise<AgentCounts>;
  /**
   * Atomically: the agent is still at `expectedVersion` and ready, and the caller still waits
   * in `queueId` → the agent becomes reserved for the call and the caller leaves the queue.
   * Otherwise nothing changes. Of two concurrent calls for one agent exactly one succeeds.
   */
  reserveAgent(req: ReserveRequest): Promise<ReserveResult>;
  /**
   * A reservation or ring that ends without a call: back to ready, longest-idle place kept.
   * With `expectedVersion` (the fencing token an assignment carries) only if the agent is still
   * at that version: a stale assignment never frees a later reservation or ring for the same call.
   */
  releaseAgent(agentId: string, callId: string, now: number, expectedVersion?: number): Promise<boolean>;

  // ── callers ──
  /**
   * Put a caller in line. A new call gets seniority = enqueuedAt and a fresh seq; a call
   * coming back (no answer) passes its old entry and so keeps its position.
   * Rejects if the call is already waiting in any queue.
   */
  enqueue(queueId: string, entry: NewQueueEntry): Promise<QueueEntry>;
  /** The caller served next, without removing it. */
  peek(queueId: string): Promise<QueueEntry | null>;
  /** Remove and return the caller served next. */
  dequeue(queueId: string): Promise<QueueEntry | null>;
  /** Remove a given caller (abandon, or taken by other means). */
  remove(queueId: string, callId: string): Promise<QueueEntry | null>;
  /** Overflow: move keeping priority, seniority and seq; enqueuedAt becomes `now`. */
  moveEntry(fromQueueId: string, toQueueId: string, callId: string, now: number): Promise<QueueEntry | null>;
  /** 1-based: callers served before this one, plus one. Null when not waiting there. */
  position(queueId: string, callId: string): Promise<number | null>;
  /** Everyone waiting, in serving order. */
  waiting(queueId: string): Promise<QueueEntry[]>;
  length(queueId: string): Promise<number>;
  /** Waiting callers per queue that has any. */
  lengths(): Promise<Record<string, number>>;

  // ── optional: shared by several nodes ──
  /**
   * Release every reservation (reserved or ringing) whose reservedUntil has come — the agents
   * of a node that died holding them. Returns the agents made ready. Idempotent.
   */
  expireReservations?(now: number): Promise<AgentSnapshot[]>;
  /** The queue's average handle time (s) behind wait estimates, shared so every node says the same. */
  handleAverage?(queueId: string): Promise<number | null>;
  setHandleAverage?(queueId: string, seconds: number): Promise<void>;
}

/**
 * The code a store's error carries when the store cannot be reached or did not answer in time
 * (the Redis adapter's StoreUnavailableError). The outcome of a write that failed so is unknown.
 */
export const STORE_UNAVAILABLE = 'store-unavailable';

export function isStoreUnavailable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === STORE_UNAVAILABLE;
}

export class AcdStoreError extends Error {
  constructor(readonly code: 'already-queued', message: string) {
    super(message);
    this.name = 'AcdStoreError';
  }
}

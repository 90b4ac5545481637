/**
 * Several router nodes, one ACD (docs/architecture.md, the cluster protocol). The store is shared (Redis); what the nodes still
 * need from each other goes through these two ports:
 *
 *  - ClusterBus: messages between nodes. Every node may dispatch (the store holds everybody, so
 *    seniority is global), but only the node holding a caller's FreeSWITCH socket can ring an
 *    agent for it: an assignment for another node's caller is sent to that node.
 *  - NodeRegistry: heartbeats, and the reap of a node whose heartbeat is gone (its callers'
 *    entries leave the queues, the agents reserved or ringing for them become ready again).
 *
 * Bounds: a node beats every `beatMs` with a heartbeat that lives `ttlMs`; every node reaps on
 * each beat. A node that dies is reaped at most ttlMs + beatMs after its last beat (plus one
 * store round trip), by whichever node beats first after its heartbeat expired. The TTL runs on
 * the store's registry clock, which does not run while no node could beat (the store itself
 * stopped, or every node): a live node is not reaped for the store's stall, and a node that died
 * before or in it is reaped at most ttlMs + beatMs after the store runs again.
 */
import type { AgentSnapshot, QueueEntry } from '../../core/acd/types.js';

export type ClusterMessage =
  /** A reservation for a caller `to` holds: ring the agent (or release it if the caller left). */
  | { readonly type: 'assignment'; readonly from: string; readonly agent: AgentSnapshot; readonly entry: QueueEntry; readonly reservedUntil: number; readonly reservedAt?: number }
  /** A node's dispatch round over these queues ended on contention or failure: look again. */
  | { readonly type: 'dispatch'; readonly from: string; readonly queueIds: readonly string[] }
  /** The queue lost its last logged-in agent (no-agents overflow): move your callers on. */
  | { readonly type: 'sweep'; readonly from: string; readonly queueId: string }
  /** The node has just applied this registry (sha256 of its file): nodes on another version re-read theirs. */
  | { readonly type: 'registry'; readonly from: string; readonly sha256: string };

export interface ClusterBus {
  /** Start receiving: this node's own channel and the one every node hears. Own broadcasts are dropped. */
  listen(nodeId: string, handler: (msg: ClusterMessage) => void): Promise<void>;
  /** To one node; resolves false when nobody listens there (the node is gone). */
  send(nodeId: string, msg: ClusterMessage): Promise<boolean>;
  broadcast(msg: ClusterMessage): Promise<void>;
  close(): Promise<void>;
}

export interface Reaped {
  readonly nodes: readonly string[];
  /** waiting entries of the dead nodes, now removed */
  readonly removed: readonly QueueEntry[];
  /** agents that were reserved or ringing for the dead nodes' callers, now ready */
  readonly released: readonly AgentSnapshot[];
  /** Moves each time any node's reap finds a dead node: the others' callers may need putting back. */
  readonly generation?: number;
}

/** How a node beats: its heartbeat lives ttlMs; it beats every beatMs. */
export interface Liveness {
  readonly ttlMs: number;
  /** The registry forgives a silence of all nodes longer than this (the store was stopped, not the nodes). */
  readonly beatMs: number;
}

export interface NodeRegistry {
  /** This node is alive for the next ttlMs. Resolves false when it had no heartbeat: it was
   * reaped (it paused past its TTL while others ran), or the store restarted empty or was flushed. */
  beat(nodeId: string, liveness: Liveness): Promise<boolean>;
  /** Clear up after every node whose heartbeat is gone (`now`: this node's clock, for ring ends;
   * `beatMs`: this node's beat period, see Liveness). Idempotent; safe on every node at once. */
  reap(now: number, beatMs?: number): Promise<Reaped>;
  /** Leaving on purpose: the heartbeat goes now rather than at its TTL. */
  leave(nodeId: string): Promise<void>;
  /** The node's heartbeat is there: it is alive as far as the store knows. */
  alive(nodeId: string): Promise<boolean>;
  /** The callers waiting in the store that the node holds, by the store's account. */
  owned(nodeId: string): Promise<{ readonly callId: string; readonly queueId: string }[]>;
}

export interface ClusterLink {
  /** Unique per process: a restarted node is a new node, and its predecessor is reaped as dead. */
  readonly nodeId: string;
  readonly bus: ClusterBus;
  readonly registry: NodeRegistry;
  /** heartbeat and safety-sweep period (default 1000 ms) */
  readonly beatMs?: number;
  /** heartbeat lifetime (default 3000 ms): longer than any pause the node may take, and more than 2 × beatMs */
  readonly ttlMs?: number;
}

export const DEFAULT_BEAT_MS = 1_000;
export const DEFAULT_TTL_MS = 3_000;

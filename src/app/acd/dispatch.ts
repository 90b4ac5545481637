/**
 * The dispatcher: after something changes (an agent became ready, a caller arrived, an agent
 * was released) find the best (caller, agent) pairs among the affected queues and reserve them.
 *
 * Per round: take the head caller of every affected queue, try them in serving order, and give
 * the first one that has an eligible ready agent to its best agent (selection policy). The
 * reservation is a compare-and-set in the store; losing a race (another node, a concurrent
 * dispatch) just means reading again, up to `maxConflicts` times.
 *
 * Cost per assignment: one peek and at most one best-candidate read per affected queue — it never
 * looks past the head of a queue, because every caller in one queue needs the same skills.
 */
import { compareEntries } from '../../core/acd/queue-order.js';
import type { AcdStore } from '../../core/acd/store-port.js';
import type { AcdQueue, AgentSnapshot, QueueEntry } from '../../core/acd/types.js';

export type DispatchTrigger =
  | { readonly kind: 'agent-ready'; readonly agentId: string }
  | { readonly kind: 'agent-released'; readonly agentId: string }
  | { readonly kind: 'caller-enqueued'; readonly queueId: string }
  /** resynchronisation, or another node's hint: look at these queues */
  | { readonly kind: 'queues'; readonly queueIds: readonly string[] };

export interface Assignment {
  readonly agent: AgentSnapshot;
  readonly entry: QueueEntry;
  readonly reservedUntil: number;
  /** when the reservation was made: by the store's clock (Redis TIME), else the dispatcher's (ordering measurements) */
  readonly reservedAt?: number;
}

export interface DispatchOptions {
  /** how long a reservation lives before ringing must renew it (default 5 s) */
  readonly reserveMs?: number;
  /** reservation races tolerated before giving up this round (default 8) */
  readonly maxConflicts?: number;
  /** stop after this many assignments (default unlimited) */
  readonly maxAssignments?: number;
  /** called when the round stops on `maxConflicts` with pairs possibly left (another node should look) */
  readonly onGiveUp?: (queueIds: readonly string[]) => void;
  /** several nodes: this node, recorded on its reservations (a reap of it frees those not yet rung) */
  readonly by?: string;
  /** read just before each reservation, for Assignment.reservedAt when the store gives no time of its own */
  readonly clock?: () => number;
}

export const DEFAULT_RESERVE_MS = 5_000;

export type QueueLookup = (queueId: string) => AcdQueue | undefined;

export async function dispatch(
  store: AcdStore, queueOf: QueueLookup, trigger: DispatchTrigger, now: number, opts: DispatchOptions = {},
): Promise<Assignment[]> {
  // A caller's queue is known without the store: no round trip (and no await) for it.
  const queues = trigger.kind === 'caller-enqueued' ? queueList(queueOf, trigger.queueId) : await affectedQueues(store, queueOf, trigger);
  const reservedUntil = now + (opts.reserveMs ?? DEFAULT_RESERVE_MS);
  const maxConflicts = opts.maxConflicts ?? 8;
  const maxAssignments = opts.maxAssignments ?? Number.POSITIVE_INFINITY;
  const out: Assignment[] = [];
  let conflicts = 0;

  while (out.length < maxAssignments && conflicts <= maxConflicts) {
    const pair = await bestPair(store, queues);
    if (pair === null) break;
    const reservedAt = opts.clock?.();
    const r = await store.reserveAgent({
      agentId: pair.agent.id, expectedVersion: pair.agent.version,
      queueId: pair.entry.queueId, callId: pair.entry.callId, reservedUntil, now,
      ...(opts.by === undefined ? {} : { by: opts.by }),
    });
    // The store's time when it has one: a dispatcher's own clock, read before the round trip, can
    // lag behind another node's reservation made after it (event-loop delay under load).
    const at = r.ok ? r.at ?? reservedAt : undefined;
    if (r.ok) out.push({ agent: r.agent, entry: r.entry, reservedUntil, ...(at === undefined ? {} : { reservedAt: at }) });
    else conflicts += 1;
  }
  if (conflicts > maxConflicts) opts.onGiveUp?.(queues.map((q) => q.id));
  return out;
}

function queueList(queueOf: QueueLookup, queueId: string): AcdQueue[] {
  const q = queueOf(queueId);
  return q === undefined ? [] : [q];
}

async function affectedQueues(store: AcdStore, queueOf: QueueLookup, trigger: DispatchTrigger): Promise<AcdQueue[]> {
  if (trigger.kind === 'caller-enqueued') return queueList(queueOf, trigger.queueId);
  if (trigger.kind === 'queues') return trigger.queueIds.flatMap((id) => queueOf(id) ?? []);
  const agent = await store.getAgent(trigger.agentId);
  if (agent === null) return [];
  const out: AcdQueue[] = [];
  for (const id of agent.queues) {
    const q = queueOf(id);
    if (q !== undefined) out.push(q);
  }
  return out;
}

async function bestPair(store: AcdStore, queues: readonly AcdQueue[]): Promise<{ entry: QueueEntry; agent: AgentSnapshot } | null> {
  const heads: { queue: AcdQueue; entry: QueueEntry }[] = [];
  for (const queue of queues) {
    const entry = await store.peek(queue.id);
    if (entry !== null) heads.push({ queue, entry });
  }
  if (heads.length > 1) heads.sort((a, b) => compareEntries(a.entry, b.entry));
  for (const { queue, entry } of heads) {
    const agent = await store.bestCandidate(queue);
    if (agent !== null) return { entry, agent };
  }
  return null;
}

/** A lookup over the registry's queue record. */
export function queueLookup(queues: Readonly<Record<string, Omit<AcdQueue, 'id'>>>): QueueLookup {
  const byId = new Map<string, AcdQueue>();
  for (const [id, q] of Object.entries(queues)) byId.set(id, { ...q, id });
  return (id) => byId.get(id);
}

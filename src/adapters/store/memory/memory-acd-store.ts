/**
 * The in-memory ACD store: the embedded default for a single router node.
 * Every method runs to completion synchronously inside the returned promise, which is what
 * makes each one atomic on one event loop; the Redis store gets the same from Lua.
 *
 * Indexes kept alongside the agents so dispatch never scans everybody:
 *   memberOf: agent → the queues it serves   ready: queue → ready agents serving it
 *   counts:  queue → its agents per status (admission and wait estimates read it per caller)
 *   queues:  queue → callers in serving order   queueOf: call → the queue it waits in
 */
import { newAgent, transition, type AgentEvent } from '../../../core/acd/agent-state.js';
import { overflowedEntry } from '../../../core/acd/queue-order.js';
import { AgentChoice } from '../../../core/acd/selection.js';
import {
  AcdStoreError, type AcdStore, type AgentCounts, type AgentUpdateResult, type ReserveRequest, type ReserveResult,
} from '../../../core/acd/store-port.js';
import { AGENT_STATUSES, type AcdQueue, type AgentProfile, type AgentSnapshot, type AgentStatus, type NewQueueEntry, type QueueEntry } from '../../../core/acd/types.js';
import { OrderedEntries } from './ordered-entries.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const done = <T>(value: T): Promise<T> => Promise.resolve(value);

export class MemoryAcdStore implements AcdStore {
  private readonly agents = new Map<string, AgentSnapshot>();
  private readonly ready = new Map<string, Set<string>>();
  private readonly counts = new Map<string, Record<AgentStatus, number>>();
  /** agent → the queues it is counted in (its profile's, once each) */
  private readonly memberOf = new Map<string, readonly string[]>();
  private readonly queues = new Map<string, OrderedEntries>();
  private readonly queueOf = new Map<string, string>();
  private readonly aht = new Map<string, number>();
  private seq = 0;

  upsertAgent(profile: AgentProfile, now: number): Promise<AgentSnapshot> {
    const prev = this.agents.get(profile.id);
    // Unchanged: the version is a fencing token held by assignments in flight; a resync must not void them.
    if (prev !== undefined && sameProfile(prev, profile)) return done(prev);
    const next: AgentSnapshot = prev === undefined
      ? newAgent(profile, now)
      : { ...prev, skills: { ...profile.skills }, queues: [...profile.queues], version: prev.version + 1 };
    this.put(next, prev);
    return done(next);
  }

  getAgent(agentId: string): Promise<AgentSnapshot | null> {
    return done(this.agents.get(agentId) ?? null);
  }

  listAgents(): Promise<AgentSnapshot[]> {
    return done([...this.agents.values()]);
  }

  applyAgentEvent(agentId: string, event: AgentEvent, now: number, expectedVersion?: number): Promise<AgentUpdateResult> {
    const prev = this.agents.get(agentId);
    if (prev === undefined) return done({ ok: false, error: { code: 'unknown-agent', agentId } });
    if (expectedVersion !== undefined && expectedVersion !== prev.version) {
      return done({ ok: false, error: { code: 'version-conflict', expected: expectedVersion, actual: prev.version } });
    }
    const r = transition(prev, event, now);
    if (r.ok) this.put(r.agent, prev);
    return done(r);
  }

  listCandidates(queueId: string): Promise<AgentSnapshot[]> {
    const out: AgentSnapshot[] = [];
    for (const id of this.ready.get(queueId) ?? []) {
      const agent = this.agents.get(id);
      if (agent !== undefined) out.push(agent);
    }
    return done(out);
  }

  bestCandidate(queue: Pick<AcdQueue, 'id' | 'skills' | 'selection'>): Promise<AgentSnapshot | null> {
    const ready = this.ready.get(queue.id);
    if (ready === undefined) return done(null);
    const choice = new AgentChoice(queue);
    for (const id of ready) {
      const agent = this.agents.get(id);
      if (agent !== undefined) choice.offer(agent);
    }
    return done(choice.best);
  }

  agentCounts(queueId: string): Promise<AgentCounts> {
    // A copy: the caller keeps a reading, not a live view.
    const c = this.counts.get(queueId);
    return done(c === undefined ? zeroCounts() : { ...c });
  }

  reserveAgent(req: ReserveRequest): Promise<ReserveResult> {
    const agent = this.agents.get(req.agentId);
    if (agent === undefined) return done({ ok: false, reason: 'unknown-agent' });
    if (agent.version !== req.expectedVersion) return done({ ok: false, reason: 'agent-changed' });
    const q = this.queues.get(req.queueId);
    if (q?.get(req.callId) === undefined) return done({ ok: false, reason: 'caller-gone' });
    const r = transition(agent, { type: 'reserve', callId: req.callId, queueId: req.queueId, reservedUntil: req.reservedUntil }, req.now);
    if (!r.ok) return done({ ok: false, reason: 'agent-unavailable' });
    const entry = this.take(req.queueId, req.callId);
    if (entry === undefined) return done({ ok: false, reason: 'caller-gone' });
    this.put(r.agent, agent);
    return done({ ok: true, agent: r.agent, entry });
  }

  releaseAgent(agentId: string, callId: string, now: number, expectedVersion?: number): Promise<boolean> {
    const agent = this.agents.get(agentId);
    if (agent === undefined || (expectedVersion !== undefined && agent.version !== expectedVersion)) return done(false);
    const r = transition(agent, { type: 'release', callId }, now);
    if (r.ok) this.put(r.agent, agent);
    return done(r.ok);
  }

  enqueue(queueId: string, e: NewQueueEntry): Promise<QueueEntry> {
    const already = this.queueOf.get(e.callId);
    if (already !== undefined) {
      return Promise.reject(new AcdStoreError('already-queued', `call ${e.callId} already waits in ${already}`));
    }
    const entry: Mutable<QueueEntry> = {
      callId: e.callId, queueId, priority: e.priority, seniority: e.seniority ?? e.enqueuedAt,
      seq: e.seq ?? ++this.seq, enqueuedAt: e.enqueuedAt,
    };
    if (e.line !== undefined) entry.line = e.line;
    if (e.overflowedFrom !== undefined) entry.overflowedFrom = e.overflowedFrom;
    if (e.owner !== undefined) entry.owner = e.owner;
    if (e.caller !== undefined) entry.caller = e.caller;
    this.insert(entry);
    return done(entry);
  }

  peek(queueId: string): Promise<QueueEntry | null> {
    return done(this.queues.get(queueId)?.peek() ?? null);
  }

  dequeue(queueId: string): Promise<QueueEntry | null> {
    const entry = this.queues.get(queueId)?.shift();
    if (entry === undefined) return done(null);
    this.queueOf.delete(entry.callId);
    return done(entry);
  }

  remove(queueId: string, callId: string): Promise<QueueEntry | null> {
    return done(this.take(queueId, callId) ?? null);
  }

  moveEntry(fromQueueId: string, toQueueId: string, callId: string, now: number): Promise<QueueEntry | null> {
    const entry = this.take(fromQueueId, callId);
    if (entry === undefined) return done(null);
    const moved = overflowedEntry(entry, toQueueId, now);
    this.insert(moved);
    return done(moved);
  }

  position(queueId: string, callId: string): Promise<number | null> {
    return done(this.queues.get(queueId)?.position(callId) ?? null);
  }

  waiting(queueId: string): Promise<QueueEntry[]> {
    return done(this.queues.get(queueId)?.toArray() ?? []);
  }

  length(queueId: string): Promise<number> {
    return done(this.queues.get(queueId)?.size ?? 0);
  }

  lengths(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [id, q] of this.queues) if (q.size > 0) out[id] = q.size;
    return done(out);
  }

  handleAverage(queueId: string): Promise<number | null> {
    return done(this.aht.get(queueId) ?? null);
  }

  setHandleAverage(queueId: string, seconds: number): Promise<void> {
    this.aht.set(queueId, seconds);
    return done(undefined);
  }

  private insert(entry: QueueEntry): void {
    let q = this.queues.get(entry.queueId);
    if (q === undefined) {
      q = new OrderedEntries();
      this.queues.set(entry.queueId, q);
    }
    q.insert(entry);
    this.queueOf.set(entry.callId, entry.queueId);
    // Keep seq ahead of any seq a re-queued entry brings back.
    if (entry.seq > this.seq) this.seq = entry.seq;
  }

  private take(queueId: string, callId: string): QueueEntry | undefined {
    const entry = this.queues.get(queueId)?.remove(callId);
    if (entry !== undefined) this.queueOf.delete(callId);
    return entry;
  }

  /** Store `next` and bring the ready and count indexes from `prev` in line with it. */
  private put(next: AgentSnapshot, prev: AgentSnapshot | undefined): void {
    this.agents.set(next.id, next);
    const status = next.state.status;
    if (prev !== undefined && prev.queues === next.queues) {
      // The common case, a state change: only the ready index and the counts may move.
      const was = prev.state.status;
      if (was !== status) for (const q of this.memberOf.get(next.id) ?? []) this.moveIn(q, next.id, was, status);
      return;
    }
    if (prev !== undefined) for (const q of this.memberOf.get(prev.id) ?? []) this.leave(q, prev.id, prev.state.status);
    // Unique: a queue listed twice still counts the agent once.
    const queues = [...new Set(next.queues)];
    this.memberOf.set(next.id, queues);
    for (const q of queues) this.join(q, next.id, status);
  }

  private join(queueId: string, agentId: string, status: AgentStatus): void {
    countsIn(this.counts, queueId)[status] += 1;
    if (status === 'ready') setIn(this.ready, queueId).add(agentId);
  }

  private leave(queueId: string, agentId: string, status: AgentStatus): void {
    countsIn(this.counts, queueId)[status] -= 1;
    this.ready.get(queueId)?.delete(agentId);
  }

  private moveIn(queueId: string, agentId: string, from: AgentStatus, to: AgentStatus): void {
    const c = countsIn(this.counts, queueId);
    c[from] -= 1;
    c[to] += 1;
    if (to === 'ready') setIn(this.ready, queueId).add(agentId);
    else if (from === 'ready') this.ready.get(queueId)?.delete(agentId);
  }
}

function zeroCounts(): Record<AgentStatus, number> {
  const c = {} as Record<AgentStatus, number>;
  for (const s of AGENT_STATUSES) c[s] = 0;
  return c;
}

function countsIn(map: Map<string, Record<AgentStatus, number>>, key: string): Record<AgentStatus, number> {
  let c = map.get(key);
  if (c === undefined) {
    c = zeroCounts();
    map.set(key, c);
  }
  return c;
}

function setIn(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}

function sameProfile(a: AgentProfile, b: AgentProfile): boolean {
  return JSON.stringify(a.skills) === JSON.stringify(b.skills) && JSON.stringify(a.queues) === JSON.stringify(b.queues);
}

/**
 * The ACD store in Redis: several router nodes share one ACD. Each method is one Lua script
 * (one round trip, atomic), except `getAgent`/`length` (one plain read) and `applyAgentEvent`,
 * which reads the agent, runs the pure `transition` here and writes the result with a
 * compare-and-set script — the state machine has one implementation, in TypeScript.
 * Key layout: keys.ts; order key and row formats: codec.ts; scripts and their guarantees: scripts.ts.
 */
import type { Redis } from 'ioredis';
import { newAgent, transition, type AgentEvent } from '../../../core/acd/agent-state.js';
import { selectAgent } from '../../../core/acd/selection.js';
import {
  AcdStoreError, type AcdStore, type AgentCounts, type AgentUpdateResult, type ReserveFailure, type ReserveRequest, type ReserveResult,
} from '../../../core/acd/store-port.js';
import { AGENT_STATUSES, type AcdQueue, type AgentProfile, type AgentSnapshot, type AgentStatus, type NewQueueEntry, type QueueEntry } from '../../../core/acd/types.js';
import {
  AGENT_ROW, checkSeq, CorruptRowError, decodeAgent, decodeAgents, decodeEntries, decodeEntry, decodeEntryOrNull, optional, orderHead, stateFields,
} from './codec.js';
import { RedisKeys } from './keys.js';
import { ScriptRunner } from './script-runner.js';

export interface RedisAcdStoreOptions {
  /** keys live under `{deployment}:` (default `hotline`) */
  readonly deployment?: string;
  /** re-reads after losing a compare-and-set when no expectedVersion was given (default 16) */
  readonly maxCasRetries?: number;
  /** close() also quits the client (default false: the caller owns it) */
  readonly ownsClient?: boolean;
}

const RESERVE_FAILURES: ReadonlySet<string> = new Set<ReserveFailure>(['unknown-agent', 'agent-changed', 'agent-unavailable', 'caller-gone']);
const LOGGED_OUT = JSON.stringify(newAgent({ id: '', skills: {}, queues: [] }, 0).state);

function asArray(reply: unknown, what: string): unknown[] {
  if (!Array.isArray(reply)) throw new CorruptRowError(what);
  return reply;
}

export class RedisAcdStore implements AcdStore {
  readonly keys: RedisKeys;
  private readonly scripts: ScriptRunner;
  private readonly p: string;
  private readonly maxCasRetries: number;

  constructor(readonly redis: Redis, private readonly opts: RedisAcdStoreOptions = {}) {
    this.keys = new RedisKeys(opts.deployment);
    this.p = this.keys.prefix;
    this.scripts = new ScriptRunner(redis);
    this.maxCasRetries = opts.maxCasRetries ?? 16;
  }

  async close(): Promise<void> {
    if (this.opts.ownsClient === true && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }

  // ── agents ──

  async upsertAgent(profile: AgentProfile, now: number): Promise<AgentSnapshot> {
    const row = await this.scripts.run('upsertAgent', [this.keys.agent(profile.id), this.keys.agents()],
      [this.p, profile.id, JSON.stringify(profile.skills), JSON.stringify(profile.queues), String(now), LOGGED_OUT]);
    return decodeAgent(asArray(row, 'upsertAgent'));
  }

  async getAgent(agentId: string): Promise<AgentSnapshot | null> {
    const row = await this.scripts.call('getAgent', (r) => r.hmget(this.keys.agent(agentId), ...AGENT_ROW));
    return row[0] === null ? null : decodeAgent(row);
  }

  async listAgents(): Promise<AgentSnapshot[]> {
    return decodeAgents(await this.scripts.run('agentRows', [this.keys.agents()], [this.p]));
  }

  async applyAgentEvent(agentId: string, event: AgentEvent, now: number, expectedVersion?: number): Promise<AgentUpdateResult> {
    for (let attempt = 0; ; attempt++) {
      const prev = await this.getAgent(agentId);
      if (prev === null) return { ok: false, error: { code: 'unknown-agent', agentId } };
      if (expectedVersion !== undefined && expectedVersion !== prev.version) {
        return { ok: false, error: { code: 'version-conflict', expected: expectedVersion, actual: prev.version } };
      }
      const r = transition(prev, event, now);
      if (!r.ok) return r;
      const f = stateFields(r.agent);
      const reply = asArray(await this.scripts.run('writeState', [this.keys.agent(agentId), this.keys.reservations()],
        [this.p, String(prev.version), f.status, f.state, f.since, f.idle, f.call, f.reservedUntil]), 'writeState');
      if (reply[0] === 'ok') return r;
      if (reply[0] === 'unknown-agent') return { ok: false, error: { code: 'unknown-agent', agentId } };
      const actual = Number(reply[1]);
      // With an expectedVersion the caller decides; without one, someone else's change simply
      // means computing the transition again on the newer state.
      if (expectedVersion !== undefined || attempt >= this.maxCasRetries) {
        return { ok: false, error: { code: 'version-conflict', expected: prev.version, actual } };
      }
    }
  }

  async listCandidates(queueId: string): Promise<AgentSnapshot[]> {
    return decodeAgents(await this.scripts.run('agentRows', [this.keys.ready(queueId)], [this.p]));
  }

  /** The ready set's rows, then the core's own selection: one implementation of the choice, in TypeScript. */
  async bestCandidate(queue: Pick<AcdQueue, 'id' | 'skills' | 'selection'>): Promise<AgentSnapshot | null> {
    return selectAgent(queue, await this.listCandidates(queue.id));
  }

  async agentCounts(queueId: string): Promise<AgentCounts> {
    const flat = asArray(await this.scripts.run('counts', [this.keys.members(queueId)], [this.p]), 'counts');
    const counts = Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Record<AgentStatus, number>;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const status = String(flat[i]) as AgentStatus;
      if (status in counts) counts[status] = Number(flat[i + 1]);
    }
    return counts;
  }

  async reserveAgent(req: ReserveRequest): Promise<ReserveResult> {
    const state = JSON.stringify({ status: 'reserved', callId: req.callId, queueId: req.queueId, reservedUntil: req.reservedUntil });
    const reply = asArray(await this.scripts.run('reserve',
      [this.keys.agent(req.agentId), this.keys.call(req.callId), this.keys.queue(req.queueId), this.keys.reservations()],
      [this.p, String(req.expectedVersion), req.queueId, req.callId, state, String(req.now), String(req.reservedUntil), req.by ?? '']), 'reserve');
    const head = reply[0];
    if (head === 'ok') {
      const micros = Number(reply[reply.length - 1]);
      return { ok: true, agent: decodeAgent(reply, 1), entry: decodeEntry(reply, 1 + AGENT_ROW.length),
        ...(Number.isFinite(micros) ? { at: micros / 1000 } : {}) };
    }
    if (typeof head === 'string' && RESERVE_FAILURES.has(head)) return { ok: false, reason: head as ReserveFailure };
    throw new CorruptRowError(`reserve: ${String(head)}`);
  }

  async releaseAgent(agentId: string, callId: string, now: number, expectedVersion?: number): Promise<boolean> {
    const r = await this.scripts.run('release', [this.keys.agent(agentId), this.keys.reservations()],
      [this.p, callId, String(now), expectedVersion === undefined ? '' : String(expectedVersion)]);
    return Number(r) === 1;
  }

  /**
   * Not in the port: release every reservation (reserved or ringing) whose reservedUntil has
   * come (<= now) — the agents of a node that died holding them. Atomic per batch of `limit`;
   * returns the agents made ready (dispatch `agent-ready` for each). Callers of those
   * reservations already left the queue; their own sessions died with the node.
   */
  async expireReservations(now: number, limit = 1000): Promise<AgentSnapshot[]> {
    return decodeAgents(await this.scripts.run('expire', [this.keys.reservations()], [this.p, String(now), limit]));
  }

  async handleAverage(queueId: string): Promise<number | null> {
    const v = await this.scripts.call('handleAverage', (r) => r.hget(this.keys.aht(), queueId));
    return v === null ? null : Number(v);
  }

  async setHandleAverage(queueId: string, seconds: number): Promise<void> {
    await this.scripts.call('setHandleAverage', (r) => r.hset(this.keys.aht(), queueId, String(seconds)));
  }

  // ── callers ──

  async enqueue(queueId: string, e: NewQueueEntry): Promise<QueueEntry> {
    const seniority = e.seniority ?? e.enqueuedAt;
    const head = orderHead(e.priority, seniority);
    if (e.seq !== undefined) checkSeq(e.seq);
    const reply = asArray(await this.scripts.run('enqueue',
      [this.keys.call(e.callId), this.keys.queue(queueId), this.keys.seq(), this.keys.queues()],
      [this.p, queueId, e.callId, String(e.priority), String(seniority), e.seq === undefined ? '' : String(e.seq),
        String(e.enqueuedAt), optional(e.line), optional(e.overflowedFrom), head, optional(e.owner), optional(e.caller)]), 'enqueue');
    if (reply[0] === 'already-queued') {
      throw new AcdStoreError('already-queued', `call ${e.callId} already waits in ${String(reply[1])}`);
    }
    const entry: { -readonly [K in keyof QueueEntry]: QueueEntry[K] } = {
      callId: e.callId, queueId, priority: e.priority, seniority, seq: Number(reply[1]), enqueuedAt: e.enqueuedAt,
    };
    if (e.line !== undefined) entry.line = e.line;
    if (e.overflowedFrom !== undefined) entry.overflowedFrom = e.overflowedFrom;
    if (e.owner !== undefined) entry.owner = e.owner;
    if (e.caller !== undefined) entry.caller = e.caller;
    return entry;
  }

  peek(queueId: string): Promise<QueueEntry | null> {
    return this.head(queueId, false);
  }

  dequeue(queueId: string): Promise<QueueEntry | null> {
    return this.head(queueId, true);
  }

  async remove(queueId: string, callId: string): Promise<QueueEntry | null> {
    return decodeEntryOrNull(await this.scripts.run('remove',
      [this.keys.call(callId), this.keys.queue(queueId)], [this.p, queueId]));
  }

  async moveEntry(fromQueueId: string, toQueueId: string, callId: string, now: number): Promise<QueueEntry | null> {
    return decodeEntryOrNull(await this.scripts.run('move',
      [this.keys.call(callId), this.keys.queue(fromQueueId), this.keys.queue(toQueueId), this.keys.queues()],
      [this.p, fromQueueId, toQueueId, String(now)]));
  }

  async position(queueId: string, callId: string): Promise<number | null> {
    const n = Number(await this.scripts.run('position', [this.keys.call(callId), this.keys.queue(queueId)], [this.p, queueId]));
    return n > 0 ? n : null;
  }

  async waiting(queueId: string): Promise<QueueEntry[]> {
    return decodeEntries(await this.scripts.run('waiting', [this.keys.queue(queueId)], [this.p]));
  }

  length(queueId: string): Promise<number> {
    return this.scripts.call('length', (r) => r.zcard(this.keys.queue(queueId)));
  }

  async lengths(): Promise<Record<string, number>> {
    const flat = asArray(await this.scripts.run('lengths', [this.keys.queues()], [this.p]), 'lengths');
    const out: Record<string, number> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = Number(flat[i + 1]);
    return out;
  }

  private async head(queueId: string, take: boolean): Promise<QueueEntry | null> {
    return decodeEntryOrNull(await this.scripts.run('head', [this.keys.queue(queueId)], [this.p, take ? '1' : '0']));
  }
}

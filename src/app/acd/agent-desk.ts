/**
 * The agent side of the ACD: profiles, login, ready, breaks, logout and the wrap-up timer. Each
 * change that frees an agent is followed by a dispatch; a logout that leaves a queue with nobody
 * logged in moves that queue's callers on (no-agents). Both through AcdFollowUps (./follow-ups.ts).
 */
import type { AgentEvent } from '../../core/acd/agent-state.js';
import { isStoreUnavailable, type AcdStore } from '../../core/acd/store-port.js';
import type { AgentSnapshot } from '../../core/acd/types.js';
import type { Registry } from '../../config/schema.js';
import type { Clock } from '../../core/ports.js';
import type { TimerHandle } from '../timers.js';
import type { AcdRuntime } from './acd-runtime.js';
import type { DispatchTrigger } from './dispatch.js';
import type { AcdFollowUps } from './follow-ups.js';
import type { QueueRules } from './queue-rules.js';
import { AgentOperationError, type AcdEvent, type AgentView, type PauseReason } from './acd-model.js';
import { agentView, type Contact } from './acd-views.js';

export interface AgentDeskDeps {
  readonly store: AcdStore;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly rules: QueueRules;
  /** events out, wrap-up timers, background work */
  readonly rt: AcdRuntime;
  /** a dispatch when an agent is freed; the no-agents sweep when a queue's last agent logs out */
  readonly followUps: Pick<AcdFollowUps, 'dispatch' | 'noAgentsLeft'>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class AgentDesk {
  private registry: Registry;
  private contacts = new Map<string, Contact>();
  /** Agents a reload removed: still named in views while they finish a call (the store keeps them). */
  private readonly former = new Map<string, Contact>();
  private readonly wrapUps = new Map<string, TimerHandle>();

  constructor(private readonly deps: AgentDeskDeps) {
    this.registry = deps.registry;
    this.replaceAgents(deps.registry);
  }

  /** A reloaded registry's agents: a removed one can no longer log in or become ready. */
  replaceAgents(registry: Registry): void {
    this.registry = registry;
    const next = new Map(registry.agents.map((a) => [a.id, { id: a.id, name: a.name, dial: a.dial }] as const));
    for (const [id, c] of this.contacts) if (!next.has(id)) this.former.set(id, c);
    for (const id of next.keys()) this.former.delete(id);
    this.contacts = next;
  }

  /** The registry's agents into the store: a known agent keeps its state (and, unchanged, its version). */
  upsertProfiles(): Promise<AgentSnapshot[]> {
    const now = this.deps.clock.now();
    return Promise.all(this.registry.agents.map((a) => this.deps.store.upsertAgent({ id: a.id, skills: a.skills, queues: a.queues }, now)));
  }

  isListed(agentId: string): boolean {
    return this.contacts.has(agentId);
  }

  async login(agentId: string): Promise<AgentView> {
    this.mustBeListed(agentId);
    return this.view(await this.apply(agentId, { type: 'login' }));
  }

  async ready(agentId: string): Promise<AgentView> {
    this.mustBeListed(agentId);
    const a = await this.apply(agentId, { type: 'ready' });
    this.cancelWrapUp(agentId);
    await this.dispatch({ kind: 'agent-ready', agentId });
    return this.view(a);
  }

  async notReady(agentId: string, reason: PauseReason): Promise<AgentView> {
    const a = await this.apply(agentId, { type: 'not-ready', reason });
    this.cancelWrapUp(agentId);
    return this.view(a);
  }

  /** Refused (HOTLINE_ERR_AGENT_STATE) while reserved, ringing or on a call. */
  async logout(agentId: string): Promise<AgentView> {
    const a = await this.apply(agentId, { type: 'logout' });
    this.cancelWrapUp(agentId);
    for (const queueId of a.queues) {
      if (this.deps.rules.lookup(queueId) !== undefined && (await this.deps.rules.loggedIn(queueId)) === 0) {
        await this.deps.followUps.noAgentsLeft(queueId);
      }
    }
    return this.view(a);
  }

  async agents(): Promise<AgentView[]> {
    // A removed agent stays in the store; it is shown only while it still holds a session.
    const all = (await storeCall('', () => this.deps.store.listAgents())).filter((a) => this.isListed(a.id) || a.state.status !== 'logged-out');
    return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((a) => this.view(a));
  }

  async agent(agentId: string): Promise<AgentView> {
    const a = await storeCall(agentId, () => this.deps.store.getAgent(agentId));
    if (a === null) throw this.unknown(agentId);
    if (!this.isListed(agentId) && a.state.status === 'logged-out') throw unknownAgent(agentId);
    return this.view(a);
  }

  /** After-call work ends at `until`: the agent becomes ready by itself and takes the next caller. */
  armWrapUp(agentId: string, until: number): void {
    this.cancelWrapUp(agentId);
    const handle = this.deps.rt.arm(until, `wrap-up end of ${agentId}`, async () => {
      if (this.wrapUps.get(agentId) !== handle) return;
      this.wrapUps.delete(agentId);
      const now = this.deps.clock.now();
      const r = await this.deps.store.applyAgentEvent(agentId, { type: 'wrap-up-done' }, now);
      // Refused: the agent left wrap-up by itself (ready, break, logout) — nothing to end.
      if (!r.ok) return;
      this.emitSnapshot(r.agent, now);
      await this.dispatch({ kind: 'agent-released', agentId });
    });
    this.wrapUps.set(agentId, handle);
  }

  contact(agentId: string): Contact {
    return this.contacts.get(agentId) ?? this.former.get(agentId) ?? { id: agentId, name: agentId, dial: '' };
  }

  /** Read off the state directly: this runs on every agent change, the full view is not needed. */
  emitSnapshot(a: AgentSnapshot, at: number): void {
    const s = a.state;
    const e: Mutable<Extract<AcdEvent, { type: 'agent-state' }>> = { type: 'agent-state', at, agentId: a.id, status: s.status };
    if (s.status === 'not-ready') e.reason = s.reason;
    else if ('callId' in s) e.callId = s.callId;
    this.deps.rt.emit(e);
  }

  async emitCurrent(agentId: string): Promise<void> {
    const a = await this.deps.store.getAgent(agentId);
    if (a !== null) this.emitSnapshot(a, this.deps.clock.now());
  }

  /** Tracked: the agent's change stands even if the follow-up fails (logged, not thrown at the agent). */
  private dispatch(trigger: DispatchTrigger): Promise<void> {
    return this.deps.rt.tasks.track(this.deps.followUps.dispatch(trigger), 'dispatch after agent change');
  }

  private view(a: AgentSnapshot): AgentView {
    return agentView(a, this.contact(a.id));
  }

  private async apply(agentId: string, event: AgentEvent): Promise<AgentSnapshot> {
    const now = this.deps.clock.now();
    const r = await storeCall(agentId, () => this.deps.store.applyAgentEvent(agentId, event, now));
    if (!r.ok) {
      if (r.error.code === 'unknown-agent') throw this.unknown(agentId);
      const current = r.error.code === 'illegal-transition' ? r.error.from : (await this.deps.store.getAgent(agentId))?.state.status;
      throw new AgentOperationError('HOTLINE_ERR_AGENT_STATE', agentId,
        `agent ${agentId} cannot ${event.type} while ${current ?? 'unknown'}`, current);
    }
    this.emitSnapshot(r.agent, now);
    return r.agent;
  }

  /**
   * An agent the registry has but the store does not: the store lost its data (a Redis that
   * restarted empty) and the profiles are not back yet — unavailable for a moment, not unknown.
   */
  private unknown(agentId: string): AgentOperationError {
    if (!this.contacts.has(agentId)) return unknownAgent(agentId);
    return new AgentOperationError('HOTLINE_ERR_STORE_UNAVAILABLE', agentId, 'the shared ACD state is being restored; try again shortly');
  }

  private mustBeListed(agentId: string): void {
    if (!this.isListed(agentId)) throw unknownAgent(agentId);
  }

  private cancelWrapUp(agentId: string): void {
    const h = this.wrapUps.get(agentId);
    if (h === undefined) return;
    this.deps.rt.disarm(h);
    this.wrapUps.delete(agentId);
  }
}

/** The agent's change is refused as a whole while the store is away: the agent sees 503 and retries. */
async function storeCall<T>(agentId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isStoreUnavailable(err)) throw err;
    throw new AgentOperationError('HOTLINE_ERR_STORE_UNAVAILABLE', agentId, 'the shared ACD state is unreachable; try again shortly');
  }
}

function unknownAgent(agentId: string): AgentOperationError {
  return new AgentOperationError('HOTLINE_ERR_UNKNOWN_AGENT', agentId, `no agent "${agentId}"`);
}

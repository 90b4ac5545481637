/**
 * The ACD service: the one implementation of CallAcd (the call sessions' side), the agent desk
 * (login, ready, breaks, logout) and the read models behind the agent API and wall board.
 *
 * Ordering, which is what keeps it race-free on one node (the store's compare-and-set covers
 * several nodes):
 *  - every flow over one call (admit, deliver an assignment, answer, no-answer, overflow move,
 *    leave) runs under that call's serial lock (./call-flows.ts), so each sees the one before;
 *  - dispatch runs outside any call lock and hands each assignment to its call's lock; a caller
 *    who left in between is found gone there, and the agent is released and offered on;
 *  - the follow-up dispatch of a CallAcd method starts once its promise has resolved, so a
 *    session is resumed from `await` before a notice it caused (it must still accept a notice
 *    at any time after that);
 *  - agent operations and timer callbacks await their follow-ups; idle() waits for all of it.
 *
 * Several nodes (deps.cluster, ./node-sync.ts): entries carry this node as owner; any node
 * dispatches over the shared store (global seniority), and an assignment for another node's
 * caller is sent to that node, which rings. A dispatch round that gives up on contention and a
 * queue left without agents are hinted to the others.
 */
import { overflowSweep } from '../../core/acd/overflow.js';
import type { AcdStore } from '../../core/acd/store-port.js';
import type { AgentSnapshot } from '../../core/acd/types.js';
import type { Registry } from '../../config/schema.js';
import type { Clock } from '../../core/ports.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { ClusterLink } from '../cluster/cluster-port.js';
import type { CallAcd, EnqueueRequest, Enqueued, QueueNotice, WaitStatus } from './call-acd-port.js';
import { dispatch, type Assignment, type DispatchOptions, type DispatchTrigger } from './dispatch.js';
import type { AcdEvent, AcdLog, AgentView, PauseReason, QueueView, WaitingCallView } from './acd-model.js';
import { AcdRuntime } from './acd-runtime.js';
import { queueViews, waitingCallViews } from './acd-views.js';
import { AgentDesk } from './agent-desk.js';
import { CallFlows } from './call-flows.js';
import type { BeatStats } from './heartbeat.js';
import { NodeSync } from './node-sync.js';
import { QueueRules } from './queue-rules.js';
import { RetiringAgents } from './retiring-agents.js';

const toVoid = (): void => undefined;

export interface AcdServiceDeps {
  readonly store: AcdStore;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log?: AcdLog;
  /** Domain events for metrics; called synchronously, must not throw (it is guarded if it does). */
  readonly onEvent?: (event: AcdEvent) => void;
  /** How long a reservation lives before the ring renews it (dispatch default 5 s). */
  readonly reserveMs?: number;
  /** One node of several sharing the store (Redis); absent on a single node. */
  readonly cluster?: ClusterLink;
}

export class AcdService implements CallAcd {
  private readonly store: AcdStore;
  private readonly clock: Clock;
  private readonly rules: QueueRules;
  private readonly rt: AcdRuntime;
  private readonly desk: AgentDesk;
  private readonly flows: CallFlows;
  private readonly sync: NodeSync | undefined;
  private readonly retiring: RetiringAgents;
  private registry: Registry;
  private readonly scheduleWatch = new Map<string, TimerHandle>();
  private onAnnounce: ((sha256: string, from: string) => void) | undefined;

  constructor(private readonly deps: AcdServiceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.registry = deps.registry;
    this.rules = new QueueRules(deps.registry, deps.store);
    this.rt = new AcdRuntime(deps.timers, deps.log, (e) => { deps.onEvent?.(e); this.retiring.onEvent(e); });
    this.retiring = new RetiringAgents(deps.store, () => this.desk, this.rt, (a) => { this.flows.refreshRinging(a); });
    this.desk = new AgentDesk({
      store: deps.store, registry: deps.registry, clock: deps.clock, rules: this.rules,
      emit: (e) => { this.rt.emit(e); },
      armAt: (at, what, fn) => this.rt.arm(at, what, fn),
      disarm: (h) => { this.rt.disarm(h); },
      // Tracked: the agent's change stands even if the follow-up fails (logged, not thrown at the agent).
      dispatch: (trigger) => this.rt.tasks.track(this.dispatchAndDeliver(trigger), 'dispatch after agent change'),
      sweepQueue: (queueId) => {
        this.sync?.publish({ type: 'sweep', from: this.sync.nodeId, queueId });
        return this.rt.tasks.track(this.sweepQueue(queueId), `no-agents sweep of ${queueId}`);
      },
    });
    this.flows = new CallFlows({
      store: deps.store, clock: deps.clock, rules: this.rules, desk: this.desk, rt: this.rt,
      ...(deps.cluster === undefined ? {} : { owner: deps.cluster.nodeId }),
      maxWaitDue: (callId, handle, from, to) => this.maxWaitDue(callId, handle, from, to),
    });
    this.sync = deps.cluster === undefined ? undefined : new NodeSync({
      link: deps.cluster, store: deps.store, clock: deps.clock, rt: this.rt, rules: this.rules, flows: this.flows,
      upsertAgents: async () => { await this.upsertAgents(); },
      dispatch: (t) => this.dispatchAndDeliver(t),
      deliver: (a) => this.deliverHere(a),
      sweepQueue: (q) => this.sweepQueue(q),
      onRegistry: (sha256, from) => { this.onAnnounce?.(sha256, from); },
    });
  }

  /** This node's id among several; undefined on a single node. */
  get nodeId(): string | undefined {
    return this.sync?.nodeId;
  }

  /** Several nodes: whether the shared store answered this node's last heartbeat. */
  get storeConnected(): boolean {
    return this.sync?.connected ?? true;
  }

  /** Several nodes: how this node's heartbeats went (gaps, beats that found it reaped). */
  get beatStats(): BeatStats | undefined {
    return this.sync?.beats;
  }

  /** Several nodes: one beat of safety work now (heartbeat, reap, sweeps, reconcile). For tests and tools. */
  async tick(): Promise<void> {
    await this.sync?.tick();
  }

  /** Registry agents into the store (a known agent keeps its state); schedule watchers armed. */
  async start(): Promise<void> {
    await this.upsertAgents();
    for (const id of this.rules.ids()) this.watchSchedule(id);
    await this.sync?.start();
  }

  /** Cancels every timer and waits for work in flight. Callers in line stay in the store (a cluster node's are reaped). */
  async stop(): Promise<void> {
    await this.rt.stop();
    await this.sync?.stop();
  }

  /**
   * A reloaded registry, from now on: queue rules and schedule watches, agent profiles (added and
   * re-skilled agents keep their state; removed ones retire, see ./retiring-agents.ts), then
   * every queue swept (callers in a queue now closed, removed or without agents move by the
   * overflow rules) and dispatched. Calls past the queue keep what was decided for them.
   */
  async applyRegistry(next: Registry): Promise<void> {
    const before = new Set(this.registry.agents.map((a) => a.id));
    this.registry = next;
    const removedQueues = this.rules.replace(next);
    this.desk.replaceAgents(next);
    this.retiring.keep(next.agents.map((a) => a.id));
    for (const a of await this.upsertAgents()) this.flows.refreshRinging(a);
    for (const a of next.agents) before.delete(a.id);
    await this.retiring.retire([...before], this.clock.now());
    for (const h of this.scheduleWatch.values()) this.rt.disarm(h);
    this.scheduleWatch.clear();
    for (const id of this.rules.ids()) this.watchSchedule(id);
    for (const id of [...removedQueues, ...this.rules.ids()]) await this.sweepQueue(id);
    await this.dispatchAndDeliver({ kind: 'queues', queueIds: this.rules.ids() });
  }

  /** Removed agents still finishing a call (logged out when it ends). */
  get retiringAgents(): readonly string[] {
    return this.retiring.pending;
  }

  /** Several nodes: tell the others this node now runs the registry with this hash. */
  announceRegistry(sha256: string): void {
    this.sync?.publish({ type: 'registry', from: this.sync.nodeId, sha256 });
  }

  /** Several nodes: another node announced a registry hash. */
  onRegistryAnnounced(handler: (sha256: string, from: string) => void): void {
    this.onAnnounce = handler;
  }

  private async upsertAgents(): Promise<AgentSnapshot[]> {
    const now = this.clock.now();
    return Promise.all(this.registry.agents.map((a) => this.store.upsertAgent({ id: a.id, skills: a.skills, queues: a.queues }, now)));
  }

  /** Resolves when no background work (follow-up dispatch, timer callback) is in flight. */
  idle(): Promise<void> {
    return this.rt.tasks.idle();
  }

  // ── agents and read models ──

  login(agentId: string): Promise<AgentView> { return this.desk.login(agentId); }
  /** Offers the agent a waiting caller at once (resolved after that offer is delivered). */
  ready(agentId: string): Promise<AgentView> { return this.desk.ready(agentId); }
  notReady(agentId: string, reason: PauseReason): Promise<AgentView> { return this.desk.notReady(agentId, reason); }
  /** Refused with HOTLINE_ERR_AGENT_STATE while the agent is reserved, ringing or on a call. */
  logout(agentId: string): Promise<AgentView> { return this.desk.logout(agentId); }
  agents(): Promise<AgentView[]> { return this.desk.agents(); }
  /** Throws HOTLINE_ERR_UNKNOWN_AGENT. */
  agent(agentId: string): Promise<AgentView> { return this.desk.agent(agentId); }
  queues(): Promise<QueueView[]> { return queueViews(this.store, this.rules, this.clock.now()); }
  /** Callers' numbers in full: mask them before they leave the process. */
  waitingCalls(): Promise<WaitingCallView[]> {
    return waitingCallViews(this.store, this.rules, (callId) => this.flows.caller(callId), this.clock.now());
  }

  // ── CallAcd ──

  enqueue(req: EnqueueRequest, listener: (notice: QueueNotice) => void): Promise<Enqueued> {
    const p = this.rt.serial.run(req.callId, () => this.flows.admit(req, listener));
    this.rt.after(p, (e) => this.dispatchAndDeliver({ kind: 'caller-enqueued', queueId: e.queueId }), 'dispatch after enqueue');
    return p;
  }

  status(callId: string): Promise<WaitStatus | null> {
    return this.flows.status(callId);
  }

  agentAnswered(callId: string, agentId: string): Promise<void> {
    return this.rt.serial.run(callId, () => this.flows.answer(callId, agentId));
  }

  agentNoAnswer(callId: string, agentId: string): Promise<void> {
    return this.followedBy(this.rt.serial.run(callId, () => this.flows.noAnswer(callId, agentId)), 'no-answer');
  }

  conversationEnded(callId: string, agentId: string): Promise<void> {
    return this.followedBy(this.rt.serial.run(callId, () => this.flows.end(callId, agentId)), 'conversation end');
  }

  callerLeft(callId: string): Promise<void> {
    return this.followedBy(this.rt.serial.run(callId, () => this.flows.end(callId)), 'caller left');
  }

  private followedBy(p: Promise<DispatchTrigger | null>, what: string): Promise<void> {
    this.rt.after(p, (t) => this.dispatchAndDeliver(t), `dispatch after ${what}`);
    return p.then(toVoid);
  }

  // ── dispatch, overflow sweeps, schedule watch (outside any call lock) ──

  private async dispatchAndDeliver(trigger: DispatchTrigger): Promise<void> {
    if (this.rt.isStopped) return;
    // A no-answer put its caller back into a queue a reload removed: it moves on at once.
    if (trigger.kind === 'caller-enqueued' && this.rules.isRetired(trigger.queueId)) {
      await this.sweepQueue(trigger.queueId);
      return;
    }
    const sync = this.sync;
    const assignments = await dispatch(this.store, this.rules.lookup, trigger, this.clock.now(), this.dispatchOptions());
    const followUps: DispatchTrigger[] = [];
    for (const a of assignments) {
      const owner = a.entry.owner;
      const t = sync === undefined || owner === undefined || owner === sync.nodeId
        ? await this.rt.serial.run(a.entry.callId, () => this.flows.deliver(a))
        : await this.deliverThere(sync, owner, a);
      if (t !== null) followUps.push(t);
    }
    for (const t of followUps) await this.dispatchAndDeliver(t);
  }

  private dispatchOpts: DispatchOptions | undefined;

  /** Made once: every dispatch round reads them. */
  private dispatchOptions(): DispatchOptions {
    if (this.dispatchOpts !== undefined) return this.dispatchOpts;
    const sync = this.sync;
    this.dispatchOpts = {
      ...(this.deps.reserveMs === undefined ? {} : { reserveMs: this.deps.reserveMs }),
      clock: () => this.clock.now(),
      ...(sync === undefined ? {} : { by: sync.nodeId, onGiveUp: (queueIds: readonly string[]) => { sync.publish({ type: 'dispatch', from: sync.nodeId, queueIds }); } }),
    };
    return this.dispatchOpts;
  }

  /**
   * The caller is another node's: that node rings. Nobody listening there and no heartbeat means it
   * is gone (its callers with it): the agent is freed now rather than at reservedUntil. A send that fails on
   * the store leaves the reservation to expire.
   */
  private async deliverThere(sync: NodeSync, owner: string, a: Assignment): Promise<DispatchTrigger | null> {
    if (await sync.sendAssignment(owner, a)) return null;
    this.rt.log.warn({ callId: a.entry.callId, owner }, 'acd: the caller\'s node is gone; agent released');
    await this.store.releaseAgent(a.agent.id, a.entry.callId, this.clock.now());
    return { kind: 'agent-released', agentId: a.agent.id };
  }

  /** An assignment made elsewhere for a caller this node holds. */
  private async deliverHere(a: Assignment): Promise<void> {
    const t = await this.rt.serial.run(a.entry.callId, () => this.flows.deliver(a));
    if (t !== null) await this.dispatchAndDeliver(t);
  }

  private async maxWaitDue(callId: string, handle: TimerHandle, from: string, to: string): Promise<void> {
    const moved = await this.rt.serial.run(callId, () => this.flows.move(callId, from, to, 'max-wait', handle));
    if (moved !== null) await this.dispatchAndDeliver({ kind: 'caller-enqueued', queueId: moved });
  }

  /**
   * Everyone in `queueId` who must leave it now (closed, nobody logged in, maxWait), in serving
   * order so the most senior reach the target's agents first. Only callers this node holds are
   * moved: another node's callers are that node's to move.
   */
  private async sweepQueue(queueId: string): Promise<void> {
    const queue = this.rules.queue(queueId);
    if (queue.overflow === undefined) return;
    const now = this.clock.now();
    const moves = overflowSweep(queue, await this.store.waiting(queueId), now, await this.rules.view(queueId));
    const targets = new Set<string>();
    for (const { entry, decision } of moves) {
      if (!this.flows.holds(entry.callId)) continue;
      const to = await this.rt.serial.run(entry.callId, () => this.flows.move(entry.callId, queueId, decision.to, decision.reason));
      if (to !== null) targets.add(to);
    }
    for (const t of targets) await this.dispatchAndDeliver({ kind: 'caller-enqueued', queueId: t });
  }

  /** At each change of the queue's schedule that closes it, its callers move on. */
  private watchSchedule(queueId: string): void {
    if (this.rt.isStopped || this.rules.queue(queueId).overflow === undefined) return;
    const change = this.rules.nextChange(queueId, this.clock.now());
    if (change === undefined) return;
    this.scheduleWatch.set(queueId, this.rt.arm(change.at, `schedule change of ${queueId}`, async () => {
      // Re-armed first: a failing sweep must not end the watch.
      this.watchSchedule(queueId);
      if (!this.rules.isOpen(queueId, this.clock.now())) await this.sweepQueue(queueId);
    }));
  }
}

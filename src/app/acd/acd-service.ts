/**
 * The ACD service: the one implementation of CallAcd (the call sessions' side), the agent desk
 * (login, ready, breaks, logout) and the read models behind the agent API and wall board.
 * The call path, "caller enqueued → agent reserved → agent rings → bridged", reads here, in
 * ./call-flows.ts and ./dispatch.ts (docs/call-path.md walks it):
 *
 *   enqueue      lock(call) → CallFlows.admit (store entry)      then dispatch(caller-enqueued)
 *   dispatch     reserve pairs (./dispatch.ts), then per pair: this node holds the caller →
 *                lock(call) → CallFlows.deliver (ring fence, 'assigned' notice to the session);
 *                another node does → ClusterPeers.sendAssignment, that node's deliver() rings
 *   agentAnswered / agentNoAnswer / conversationEnded / callerLeft
 *                lock(call) → the CallFlows step, then dispatch what it freed
 *
 * What happened is told once, to the observer (./acd-observer.ts: metrics, records): the path
 * itself counts and times nothing.
 *
 * Ordering, which is what keeps it race-free on one node (the store's compare-and-set covers
 * several nodes):
 *  - every flow over one call (admit, deliver an assignment, answer, no-answer, overflow move,
 *    leave) runs under that call's serial lock, so each sees the one before;
 *  - dispatch runs outside any call lock and hands each assignment to its call's lock; a caller
 *    who left in between is found gone there, and the agent is released and offered on;
 *  - the follow-up dispatch of a CallAcd method starts once its promise has resolved, so a
 *    session is resumed from `await` before a notice it caused (it must still accept a notice
 *    at any time after that);
 *  - agent operations and timer callbacks await their follow-ups; idle() waits for all of it.
 *
 * The parts it builds ask for follow-ups through one named interface, AcdFollowUps
 * (./follow-ups.ts), which this class implements: the desk (./agent-desk.ts), the call flows,
 * the schedule watch and, on several nodes, the node sync (./node-sync.ts: heartbeat, reap,
 * resync, what peers send). An assignment for another node's caller is sent to that node
 * (./cluster-peers.ts), which rings; a dispatch round that gives up on contention and a queue
 * left without agents are hinted to the others. Callers leaving a queue by its overflow rules
 * (maxWait, a queue closed or left without agents) are moved by ./overflow-moves.ts.
 */
import type { AcdStore } from '../../core/acd/store-port.js';
import type { Registry } from '../../config/schema.js';
import type { Clock } from '../../core/ports.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { ClusterLink } from '../cluster/cluster-port.js';
import type { CallAcd, EnqueueRequest, Enqueued, QueueNotice, WaitStatus } from './call-acd-port.js';
import { dispatch, type Assignment, type DispatchOptions, type DispatchTrigger } from './dispatch.js';
import type { AcdLog, AgentView, PauseReason, QueueView, WaitingCallView } from './acd-model.js';
import type { AcdObserver } from './acd-observer.js';
import { AcdRuntime } from './acd-runtime.js';
import { queueViews, waitingCallViews } from './acd-views.js';
import { AgentDesk } from './agent-desk.js';
import { CallFlows } from './call-flows.js';
import { ClusterPeers } from './cluster-peers.js';
import type { AcdFollowUps } from './follow-ups.js';
import type { BeatStats } from './heartbeat.js';
import { NodeSync } from './node-sync.js';
import { OverflowMoves } from './overflow-moves.js';
import { QueueRules } from './queue-rules.js';
import { RetiringAgents } from './retiring-agents.js';
import { ScheduleWatch } from './schedule-watch.js';

const toVoid = (): void => undefined;

export interface AcdServiceDeps {
  readonly store: AcdStore;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log?: AcdLog;
  /** Told of every step (metrics, records); called synchronously, must not throw (guarded if it does). */
  readonly observer?: AcdObserver;
  /** How long a reservation lives before the ring renews it (dispatch default 5 s). */
  readonly reserveMs?: number;
  /** One node of several sharing the store (Redis); absent on a single node. */
  readonly cluster?: ClusterLink;
}

export class AcdService implements CallAcd, AcdFollowUps {
  private readonly store: AcdStore;
  private readonly clock: Clock;
  private readonly rules: QueueRules;
  private readonly rt: AcdRuntime;
  private readonly desk: AgentDesk;
  private readonly flows: CallFlows;
  private readonly peers: ClusterPeers | undefined;
  private readonly sync: NodeSync | undefined;
  private readonly retiring: RetiringAgents;
  private readonly schedule: ScheduleWatch;
  private readonly overflow: OverflowMoves;
  private readonly dispatchOpts: DispatchOptions;
  private registry: Registry;

  constructor(deps: AcdServiceDeps) {
    const { store, clock, registry, cluster } = deps;
    this.store = store;
    this.clock = clock;
    this.registry = registry;
    this.rt = new AcdRuntime(deps.timers, deps.log, deps.observer);
    this.rules = new QueueRules(registry, store);
    this.peers = cluster === undefined ? undefined : new ClusterPeers(cluster, clock, this.rt);
    const rt = this.rt;
    const rules = this.rules;
    this.desk = new AgentDesk({ store, registry, clock, rules, rt, followUps: this });
    this.flows = new CallFlows({ store, clock, rules, rt, desk: this.desk, followUps: this, ...(cluster === undefined ? {} : { owner: cluster.nodeId }) });
    this.overflow = new OverflowMoves({ store, clock, rules, rt, flows: this.flows, followUps: this, peers: this.peers });
    this.retiring = new RetiringAgents(store, this.desk, rt, this.flows);
    rt.observers.add(this.retiring);
    this.schedule = new ScheduleWatch(rules, clock, rt, this);
    this.sync = cluster === undefined ? undefined : new NodeSync({ link: cluster, store, clock, rt, rules, flows: this.flows, desk: this.desk, followUps: this });
    this.dispatchOpts = dispatchOptions(deps.reserveMs, clock, this.peers);
  }

  // ── the call path (CallAcd): each step under the call's lock, then what it freed is dispatched ──

  enqueue(req: EnqueueRequest, listener: (notice: QueueNotice) => void): Promise<Enqueued> {
    const p = this.rt.serial.run(req.callId, () => this.flows.admit(req, listener));
    this.rt.after(p, (e) => this.dispatch({ kind: 'caller-enqueued', queueId: e.queueId }), 'dispatch after enqueue');
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
    this.rt.after(p, (t) => this.dispatch(t), `dispatch after ${what}`);
    return p.then(toVoid);
  }

  // ── AcdFollowUps: dispatch and delivery, overflow (outside any call lock) ──

  async dispatch(trigger: DispatchTrigger): Promise<void> {
    if (this.rt.isStopped) return;
    // A no-answer put its caller back into a queue a reload removed: it moves on at once.
    if (trigger.kind === 'caller-enqueued' && this.rules.isRetired(trigger.queueId)) {
      await this.sweepQueue(trigger.queueId);
      return;
    }
    const assignments = await dispatch(this.store, this.rules.lookup, trigger, this.clock.now(), this.dispatchOpts);
    const next: DispatchTrigger[] = [];
    for (const a of assignments) {
      const owner = a.entry.owner;
      const t = this.peers === undefined || owner === undefined || owner === this.peers.nodeId
        ? await this.rt.serial.run(a.entry.callId, () => this.flows.deliver(a))
        : await this.deliverThere(this.peers, owner, a);
      if (t !== null) next.push(t);
    }
    for (const t of next) await this.dispatch(t);
  }

  /** An assignment made elsewhere for a caller this node holds. */
  async deliver(a: Assignment): Promise<void> {
    const t = await this.rt.serial.run(a.entry.callId, () => this.flows.deliver(a));
    if (t !== null) await this.dispatch(t);
  }

  /**
   * The caller is another node's: that node rings. Nobody listening there and no heartbeat means it
   * is gone (its callers with it): the agent is freed now rather than at reservedUntil. A send that fails on
   * the store leaves the reservation to expire.
   */
  private async deliverThere(peers: ClusterPeers, owner: string, a: Assignment): Promise<DispatchTrigger | null> {
    if (await peers.sendAssignment(owner, a)) return null;
    this.rt.log.warn({ callId: a.entry.callId, owner }, 'acd: the caller\'s node is gone; agent released');
    await this.store.releaseAgent(a.agent.id, a.entry.callId, this.clock.now());
    return { kind: 'agent-released', agentId: a.agent.id };
  }

  // ── AcdFollowUps: overflow moves (./overflow-moves.ts) ──

  maxWaitDue(callId: string, handle: TimerHandle, from: string, to: string): Promise<void> {
    return this.overflow.maxWaitDue(callId, handle, from, to);
  }

  sweepQueue(queueId: string): Promise<void> {
    return this.overflow.sweepQueue(queueId);
  }

  noAgentsLeft(queueId: string): Promise<void> {
    return this.overflow.noAgentsLeft(queueId);
  }

  // ── agents and read models ──

  login(agentId: string): Promise<AgentView> { return this.desk.login(agentId); }
  /** Offers the agent a waiting caller at once (resolved after that offer is delivered). */
  ready(agentId: string): Promise<AgentView> { return this.desk.ready(agentId); }
  notReady(agentId: string, reason: PauseReason): Promise<AgentView> { return this.desk.notReady(agentId, reason); }
  /** Refused with HOTLINE_ERR_AGENT_STATE while the agent is reserved, ringing or on a call. */
  logout(agentId: string): Promise<AgentView> { return this.desk.logout(agentId); }
  agents(): Promise<AgentView[]> { return this.desk.agents(); }
  /** An agent another path put in wrap-up (a dead node's call, reconciled): ready at `until`. */
  endWrapUpAt(agentId: string, until: number): void { this.desk.armWrapUp(agentId, until); }
  /** Throws HOTLINE_ERR_UNKNOWN_AGENT. */
  agent(agentId: string): Promise<AgentView> { return this.desk.agent(agentId); }
  queues(): Promise<QueueView[]> { return queueViews(this.store, this.rules, this.clock.now()); }
  /** Callers' numbers in full: mask them before they leave the process. */
  waitingCalls(): Promise<WaitingCallView[]> {
    return waitingCallViews(this.store, this.rules, (callId) => this.flows.caller(callId), this.clock.now());
  }

  // ── lifecycle, registry, several nodes ──

  /** Registry agents into the store (a known agent keeps its state); schedule watchers armed. */
  async start(): Promise<void> {
    await this.desk.upsertProfiles();
    this.schedule.watchAll();
    await this.sync?.start();
  }

  /** Cancels every timer and waits for work in flight. Callers in line stay in the store (a cluster node's are reaped). */
  async stop(): Promise<void> {
    await this.rt.stop();
    await this.sync?.stop();
  }

  /** Resolves when no background work (follow-up dispatch, timer callback) is in flight. */
  idle(): Promise<void> {
    return this.rt.tasks.idle();
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
    for (const a of await this.desk.upsertProfiles()) this.flows.refreshRinging(a);
    for (const a of next.agents) before.delete(a.id);
    await this.retiring.retire([...before], this.clock.now());
    this.schedule.watchAll();
    for (const id of [...removedQueues, ...this.rules.ids()]) await this.sweepQueue(id);
    await this.dispatch({ kind: 'queues', queueIds: this.rules.ids() });
  }

  /** Removed agents still finishing a call (logged out when it ends). */
  get retiringAgents(): readonly string[] {
    return this.retiring.pending;
  }

  /** This node's id among several; undefined on a single node. */
  get nodeId(): string | undefined {
    return this.peers?.nodeId;
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

  /** Several nodes: tell the others this node now runs the registry with this hash. */
  announceRegistry(sha256: string): void {
    this.peers?.publish({ type: 'registry', from: this.peers.nodeId, sha256 });
  }

  /** Several nodes: another node announced a registry hash. */
  onRegistryAnnounced(handler: (sha256: string, from: string) => void): void {
    this.sync?.onRegistryAnnounced(handler);
  }
}

/** Made once: every dispatch round reads them. On several nodes, reservations carry this node, and a round given up on contention is hinted to the others. */
function dispatchOptions(reserveMs: number | undefined, clock: Clock, peers: ClusterPeers | undefined): DispatchOptions {
  return {
    ...(reserveMs === undefined ? {} : { reserveMs }),
    clock: () => clock.now(),
    ...(peers === undefined ? {} : { by: peers.nodeId, onGiveUp: (queueIds: readonly string[]) => { peers.publish({ type: 'dispatch', from: peers.nodeId, queueIds }); } }),
  };
}

/**
 * One router node among several sharing the store (src/app/cluster): its heartbeat, the bus,
 * and the once-a-`beatMs` safety work every node does, all idempotent and compare-and-set:
 *
 *  - beat; reap nodes whose heartbeat is gone (their callers leave the queues, their
 *    reservations are released) — a dead node is cleared within ttlMs + beatMs;
 *  - sweep agents: wrap-ups due (the node that would have ended them may be gone), reservations
 *    past reservedUntil (a lost assignment, a node that died) — both made ready and offered;
 *  - reconcile this node's callers with the store: a caller it holds whose entry is gone (and no
 *    agent holds it) is put back with its old seniority; an entry it owns but no longer holds
 *    (its session ended while the store was away) is removed.
 *
 * When a beat succeeds after failing (the store was away), or finds its own previous heartbeat
 * gone (the store restarted empty between two beats), the node resynchronises: profiles
 * upserted (a store that restarted empty gets its agents back), kept writes retried, maxWait
 * timers re-armed, callers reconciled, every queue swept and dispatched once — the events it
 * missed while away are not replayed, their effects are recomputed.
 */
import { isStoreUnavailable, type AcdStore } from '../../core/acd/store-port.js';
import type { AgentSnapshot } from '../../core/acd/types.js';
import type { Clock } from '../../core/ports.js';
import { DEFAULT_BEAT_MS, DEFAULT_TTL_MS, type ClusterLink, type ClusterMessage } from '../cluster/cluster-port.js';
import type { AcdRuntime } from './acd-runtime.js';
import type { CallFlows } from './call-flows.js';
import type { Assignment, DispatchTrigger } from './dispatch.js';
import type { QueueRules } from './queue-rules.js';
import { sweepAgents } from './sweep.js';

export interface NodeSyncDeps {
  readonly link: ClusterLink;
  readonly store: AcdStore;
  readonly clock: Clock;
  readonly rt: AcdRuntime;
  readonly rules: QueueRules;
  readonly flows: CallFlows;
  upsertAgents(): Promise<void>;
  dispatch(trigger: DispatchTrigger): Promise<void>;
  /** An assignment another node made for a caller this node holds. */
  deliver(a: Assignment): Promise<void>;
  /** Move this node's callers out of the queue if they must leave it (closed, no agents). */
  sweepQueue(queueId: string): Promise<void>;
}

const queuesOf = (agents: readonly AgentSnapshot[]): string[] => [...new Set(agents.flatMap((a) => a.queues))];

export class NodeSync {
  readonly nodeId: string;
  private readonly beatMs: number;
  private readonly ttlMs: number;
  private down = false;
  private readonly hinted = new Set<string>();
  private hintRunning = false;

  constructor(private readonly d: NodeSyncDeps) {
    this.nodeId = d.link.nodeId;
    this.beatMs = d.link.beatMs ?? DEFAULT_BEAT_MS;
    this.ttlMs = d.link.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** The store is reachable as far as this node knows (its last beat went through). */
  get connected(): boolean {
    return !this.down;
  }

  async start(): Promise<void> {
    await this.d.link.registry.beat(this.nodeId, this.d.clock.now(), this.ttlMs);
    await this.d.link.bus.listen(this.nodeId, (m) => { this.onMessage(m); });
    this.arm();
  }

  /** Leaves on purpose: the heartbeat goes now, and what this node still owns is reaped. */
  async stop(): Promise<void> {
    try {
      await this.d.link.registry.leave(this.nodeId);
      await this.d.link.registry.reap(this.d.clock.now());
    } catch (err) {
      this.d.rt.log.warn({ err }, 'cluster: leave failed; the heartbeat TTL will do it');
    }
    await this.d.link.bus.close();
  }

  /** Tell the others (best effort: a lost hint is covered by their own sweeps and resyncs). */
  publish(msg: ClusterMessage): void {
    void this.d.link.bus.broadcast(msg).catch((err: unknown) => { this.d.rt.log.warn({ err, type: msg.type }, 'cluster: hint lost'); });
  }

  /** Send an assignment to the node holding its caller; false when that node is gone. */
  sendAssignment(owner: string, a: Assignment): Promise<boolean> {
    return this.d.link.bus.send(owner, { type: 'assignment', from: this.nodeId, agent: a.agent, entry: a.entry, reservedUntil: a.reservedUntil });
  }

  /** One beat of safety work; exposed so tests can run it without waiting. */
  async tick(): Promise<void> {
    const now = this.d.clock.now();
    let continued: boolean;
    try {
      continued = await this.d.link.registry.beat(this.nodeId, now, this.ttlMs);
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      if (!this.down) this.d.rt.log.warn({ err }, 'cluster: store unreachable; new callers go to the dialplan fallback');
      this.down = true;
      return;
    }
    // A beat that found its own heartbeat gone means the store lost this node's state even if no
    // beat ever failed (a Redis restart between two beats): resynchronise just the same.
    if (this.down || !continued) {
      this.d.rt.log.warn({ nodeId: this.nodeId, storeWasDown: this.down, heartbeatLost: !continued }, 'cluster: store state lost or unreachable before; resynchronising');
      this.down = false;
      await this.resync();
    }
    const reaped = await this.d.link.registry.reap(now);
    if (reaped.nodes.length > 0) {
      this.d.rt.log.warn({ nodes: reaped.nodes, callers: reaped.removed.length, agents: reaped.released.length }, 'cluster: reaped dead nodes');
    }
    const freed = [...reaped.released, ...(await sweepAgents(this.d.store, now))];
    if (freed.length > 0) await this.d.dispatch({ kind: 'queues', queueIds: queuesOf(freed) });
    await this.reconcile();
  }

  async resync(): Promise<void> {
    await this.d.upsertAgents();
    await this.d.rt.runRepairs();
    this.d.flows.rearmAll();
    await this.reconcile();
    const all = this.d.rules.ids();
    for (const q of all) await this.d.sweepQueue(q);
    await this.d.dispatch({ kind: 'queues', queueIds: all });
  }

  private async reconcile(): Promise<void> {
    const owned = await this.d.link.registry.owned(this.nodeId);
    const inStore = new Set(owned.map((o) => o.callId));
    let holders: Promise<Set<string>> | undefined;
    const heldByAgent = async (callId: string): Promise<boolean> => {
      holders ??= this.d.store.listAgents().then((all) => new Set(all.flatMap((a) => (
        a.state.status === 'reserved' || a.state.status === 'ringing' ? [a.state.callId] : []))));
      return (await holders).has(callId);
    };
    const triggers: DispatchTrigger[] = [];
    for (const e of this.d.flows.waitingEntries()) {
      if (inStore.has(e.callId)) continue;
      const t = await this.d.rt.serial.run(e.callId, () => this.d.flows.restore(e.callId, heldByAgent));
      if (t !== null) triggers.push(t);
    }
    for (const o of owned) {
      await this.d.rt.serial.run(o.callId, async () => {
        if (this.d.flows.holds(o.callId)) return;
        if ((await this.d.store.remove(o.queueId, o.callId)) !== null) {
          this.d.rt.log.warn({ callId: o.callId, queueId: o.queueId }, 'acd: entry of a call this node no longer holds; removed');
        }
      });
    }
    if (triggers.length > 0) await this.d.dispatch({ kind: 'queues', queueIds: [...new Set(triggers.flatMap((t) => (t.kind === 'caller-enqueued' ? [t.queueId] : [])))] });
  }

  private onMessage(m: ClusterMessage): void {
    if (this.d.rt.isStopped) return;
    switch (m.type) {
      case 'assignment':
        void this.d.rt.tasks.track(this.d.deliver({ agent: m.agent, entry: m.entry, reservedUntil: m.reservedUntil }), `assignment from ${m.from}`);
        return;
      case 'dispatch':
        for (const q of m.queueIds) this.hinted.add(q);
        void this.d.rt.tasks.track(this.runHints(), `dispatch hint from ${m.from}`);
        return;
      case 'sweep':
        void this.d.rt.tasks.track(this.d.sweepQueue(m.queueId), `sweep hint from ${m.from}`);
        return;
    }
  }

  /** Hints coalesce: one dispatch round at a time over every queue hinted meanwhile. */
  private async runHints(): Promise<void> {
    if (this.hintRunning) return;
    this.hintRunning = true;
    try {
      while (this.hinted.size > 0) {
        const queueIds = [...this.hinted];
        this.hinted.clear();
        await this.d.dispatch({ kind: 'queues', queueIds });
      }
    } finally {
      this.hintRunning = false;
    }
  }

  private arm(): void {
    if (this.d.rt.isStopped) return;
    // The next beat is armed when this one is over: beats never overlap, however slow the store.
    this.d.rt.arm(this.d.clock.now() + this.beatMs, 'cluster beat', async () => {
      try {
        await this.tick();
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
        this.down = true;
      } finally {
        this.arm();
      }
    });
  }
}

/**
 * One router node among several sharing the store (src/app/cluster): its heartbeat, what it
 * hears on the bus (what it says is ./cluster-peers.ts), and the safety work every node does,
 * all idempotent and compare-and-set. Three schedules, so that being alive never waits for being
 * busy:
 *
 *  - the heartbeat (./heartbeat.ts), every `beatMs` on its own timer;
 *  - every `beatMs`, the cheap part of the work (never overlapping itself): reap nodes whose
 *    heartbeat is gone (their callers leave the queues, their reserved agents are released; an
 *    agent whose phone still rings for them is released when the ring is over), expire
 *    reservations past reservedUntil, and dispatch only the queues of agents so freed — a dead
 *    node is cleared within ttlMs + beatMs;
 *  - every `safetyMs` (5 beats), the full sweep: wrap-ups due (the node that would have ended
 *    them may be gone) and reconciliation of this node's callers with the store (a caller it
 *    holds whose entry is gone and no agent holds it is put back with its old seniority; an entry
 *    it owns but no longer holds is removed).
 *
 * Fencing: when a beat finds this node's previous heartbeat gone (it was reaped while alive — a
 * GC pause, a stopped process, a partition — or the store restarted empty), the node resynchronises
 * at once: profiles upserted (unchanged ones keep their version, so reservations in flight stay
 * valid), kept writes retried, maxWait timers re-armed, its callers put back with their original
 * seniority, every queue swept and dispatched once. Until then it may still act on what it
 * believes, but every step that matters is checked in the store: the ring needs the agent still
 * reserved for that caller, a release needs the assignment's agent version (call-flows.ts).
 */
import { isStoreUnavailable, type AcdStore } from '../../core/acd/store-port.js';
import type { AgentSnapshot } from '../../core/acd/types.js';
import type { Clock } from '../../core/ports.js';
import { DEFAULT_BEAT_MS, DEFAULT_TTL_MS, type ClusterLink, type ClusterMessage } from '../cluster/cluster-port.js';
import type { AcdRuntime } from './acd-runtime.js';
import type { AgentDesk } from './agent-desk.js';
import type { CallFlows } from './call-flows.js';
import type { AcdFollowUps } from './follow-ups.js';
import { Heartbeat, type BeatReport, type BeatStats } from './heartbeat.js';
import type { QueueRules } from './queue-rules.js';
import { sweepAgents } from './sweep.js';

export interface NodeSyncDeps {
  readonly link: ClusterLink;
  readonly store: AcdStore;
  readonly clock: Clock;
  readonly rt: AcdRuntime;
  readonly rules: QueueRules;
  /** this node's callers: reconciled with the store, restored, their timers re-armed */
  readonly flows: CallFlows;
  /** agent profiles, upserted again on a resync */
  readonly desk: Pick<AgentDesk, 'upsertProfiles'>;
  /** dispatch, a peer's assignment rung here, a queue swept */
  readonly followUps: Pick<AcdFollowUps, 'dispatch' | 'deliver' | 'sweepQueue'>;
}

/** The full safety sweep (wrap-ups due, reconciliation) runs every this many beats. */
export const SAFETY_BEATS = 5;

const queuesOf = (agents: readonly AgentSnapshot[]): string[] => [...new Set(agents.flatMap((a) => a.queues))];

export class NodeSync {
  readonly nodeId: string;
  private readonly beatMs: number;
  private readonly ttlMs: number;
  private readonly safetyMs: number;
  private readonly heartbeat: Heartbeat;
  private down = false;
  private resyncWanted = false;
  private working: Promise<void> | undefined;
  private nextSafety = 0;
  private reapGeneration: number | undefined;
  private readonly hinted = new Set<string>();
  private hintRunning = false;
  private onRegistry: ((sha256: string, from: string) => void) | undefined;

  constructor(private readonly d: NodeSyncDeps) {
    this.nodeId = d.link.nodeId;
    this.beatMs = d.link.beatMs ?? DEFAULT_BEAT_MS;
    this.ttlMs = d.link.ttlMs ?? DEFAULT_TTL_MS;
    // The registry counts one beat of a silence of every node (the store stalled) before its
    // clock stops: a live node's last beat before it must still be within its TTL afterwards.
    if (!(this.ttlMs > 2 * this.beatMs)) throw new RangeError(`cluster: ttlMs (${this.ttlMs}) must be more than twice beatMs (${this.beatMs})`);
    this.safetyMs = this.beatMs * SAFETY_BEATS;
    this.heartbeat = new Heartbeat(this.nodeId, d.link.registry, d.clock, d.rt, this.beatMs, this.ttlMs, (r) => { this.onBeat(r); });
  }

  /** The store is reachable as far as this node knows (its last beat went through). */
  get connected(): boolean {
    return !this.down;
  }

  get beats(): BeatStats {
    return this.heartbeat.stats;
  }

  /** Another node announced the registry version it runs. */
  onRegistryAnnounced(handler: (sha256: string, from: string) => void): void {
    this.onRegistry = handler;
  }

  async start(): Promise<void> {
    await this.d.link.registry.beat(this.nodeId, { ttlMs: this.ttlMs, beatMs: this.beatMs });
    await this.d.link.bus.listen(this.nodeId, (m) => { this.onMessage(m); });
    this.nextSafety = this.d.clock.now() + this.safetyMs;
    this.heartbeat.run();
    this.armWork();
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

  /** A beat and the full safety work now (tests and tools): what the schedules do over safetyMs. */
  async tick(): Promise<void> {
    if ((await this.heartbeat.beat()) === 'unreachable') return;
    this.nextSafety = 0;
    await this.runWork();
  }

  private onBeat(r: BeatReport): void {
    if (r.outcome === 'unreachable') {
      if (!this.down) this.d.rt.log.warn({ err: r.err }, 'cluster: store unreachable; new callers go to the dialplan fallback');
      this.down = true;
      return;
    }
    // A beat that found its own heartbeat gone: reaped while alive, or the store lost this node's
    // state even if no beat ever failed (a Redis restart between two beats). Resynchronise now,
    // not at the next safety sweep.
    if (!this.down && r.outcome === 'ok') return;
    // silentMs: how long the store heard nothing from this node — a stall past the TTL (SIGSTOP,
    // a starved CPU, a GC pause) is what gets a live node reaped.
    this.d.rt.log.warn({ nodeId: this.nodeId, storeWasDown: this.down, heartbeatLost: r.outcome === 'lost', ...(r.silentMs === undefined ? {} : { silentMs: r.silentMs }) },
      'cluster: store state lost or unreachable before; resynchronising');
    this.down = false;
    this.resyncWanted = true;
    if (!this.d.rt.isStopped) void this.d.rt.tasks.track(this.runWork(), 'cluster resync');
  }

  /** One pass at a time; a pass asked for while one runs follows it. */
  private runWork(): Promise<void> {
    const prev = this.working ?? Promise.resolve();
    const next = prev.then(() => this.work(), () => this.work());
    const mine = next.finally(() => { if (this.working === mine) this.working = undefined; });
    this.working = mine;
    return mine;
  }

  private async work(): Promise<void> {
    if (this.down || this.d.rt.isStopped) return;
    if (this.resyncWanted) {
      this.resyncWanted = false;
      try {
        await this.resync();
      } catch (err) {
        this.resyncWanted = true;
        throw err;
      }
    }
    // A write kept while the store was away (an answer, a hangup) need not wait for a resync:
    // after a freeze its command may have timed out with the store up all along.
    if (this.d.rt.pendingRepairs > 0) await this.d.rt.runRepairs();
    const now = this.d.clock.now();
    const reaped = await this.d.link.registry.reap(now, this.beatMs);
    if (reaped.nodes.length > 0) {
      this.d.rt.log.warn({ nodes: reaped.nodes, callers: reaped.removed.length, agents: reaped.released.length }, 'cluster: reaped dead nodes');
    }
    const freed = [...reaped.released, ...((await this.d.store.expireReservations?.(now)) ?? [])];
    // Some node was reaped (by us or another): reservations it held for our callers are gone,
    // and so may be our own callers if it was us. Put them back now, not at the next safety sweep.
    const someoneReaped = reaped.generation !== undefined && this.reapGeneration !== undefined && reaped.generation !== this.reapGeneration;
    if (reaped.generation !== undefined) this.reapGeneration = reaped.generation;
    const safety = now >= this.nextSafety;
    if (safety) {
      this.nextSafety = now + this.safetyMs;
      freed.push(...(await sweepAgents(this.d.store, now)));
    }
    if (freed.length > 0) await this.d.followUps.dispatch({ kind: 'queues', queueIds: queuesOf(freed) });
    if (someoneReaped) await this.reconcile('peer-reaped');
    else if (safety) await this.reconcile('sweep');
  }

  async resync(): Promise<void> {
    await this.d.desk.upsertProfiles();
    await this.d.rt.runRepairs();
    this.d.flows.rearmAll();
    await this.reconcile('resync');
    const all = this.d.rules.ids();
    for (const q of all) await this.d.followUps.sweepQueue(q);
    await this.d.followUps.dispatch({ kind: 'queues', queueIds: all });
  }

  /** `why`: what made this node look (logged with each caller put back). */
  private async reconcile(why: 'resync' | 'peer-reaped' | 'sweep'): Promise<void> {
    const owned = await this.d.link.registry.owned(this.nodeId);
    const inStore = new Set(owned.map((o) => o.callId));
    let holders: Promise<Map<string, AgentSnapshot>> | undefined;
    const holderOf = async (callId: string): Promise<AgentSnapshot | undefined> => {
      holders ??= this.d.store.listAgents().then((all) => new Map(all.flatMap((a) => (
        a.state.status === 'reserved' || a.state.status === 'ringing' ? [[a.state.callId, a] as const] : []))));
      return (await holders).get(callId);
    };
    // All at once (each under its own call's lock): the store pipelines them, so a node that was
    // reaped holding a thousand callers has them back in one round trip's time, not a thousand.
    const missing = this.d.flows.waitingEntries().filter((e) => !inStore.has(e.callId));
    const triggers = (await Promise.all(missing.map((e) => this.d.rt.serial.run(e.callId, () => this.d.flows.restore(e.callId, holderOf, why)))))
      .filter((t) => t !== null);
    await Promise.all(owned.map((o) => this.d.rt.serial.run(o.callId, async () => {
      if (this.d.flows.holds(o.callId)) return;
      if ((await this.d.store.remove(o.queueId, o.callId)) !== null) {
        this.d.rt.log.warn({ callId: o.callId, queueId: o.queueId }, 'acd: entry of a call this node no longer holds; removed');
      }
    })));
    if (triggers.length > 0) await this.d.followUps.dispatch({ kind: 'queues', queueIds: [...new Set(triggers.flatMap((t) => (t.kind === 'caller-enqueued' ? [t.queueId] : [])))] });
  }

  private onMessage(m: ClusterMessage): void {
    if (this.d.rt.isStopped) return;
    switch (m.type) {
      case 'assignment':
        void this.d.rt.tasks.track(this.d.followUps.deliver({ agent: m.agent, entry: m.entry, reservedUntil: m.reservedUntil,
          ...(m.reservedAt === undefined ? {} : { reservedAt: m.reservedAt }) }), `assignment from ${m.from}`);
        return;
      case 'dispatch':
        for (const q of m.queueIds) this.hinted.add(q);
        void this.d.rt.tasks.track(this.runHints(), `dispatch hint from ${m.from}`);
        return;
      case 'sweep':
        void this.d.rt.tasks.track(this.d.followUps.sweepQueue(m.queueId), `sweep hint from ${m.from}`);
        return;
      case 'registry':
        this.onRegistry?.(m.sha256, m.from);
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
        await this.d.followUps.dispatch({ kind: 'queues', queueIds });
      }
    } finally {
      this.hintRunning = false;
    }
  }

  private armWork(): void {
    if (this.d.rt.isStopped) return;
    // Armed when the pass is over: passes never overlap, however slow the store — the heartbeat
    // has its own timer and is not held up by this.
    this.d.rt.arm(this.d.clock.now() + this.beatMs, 'cluster work', async () => {
      try {
        await this.runWork();
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
        // The beat that next goes through resynchronises: what this pass missed is recomputed.
        this.down = true;
      } finally {
        this.armWork();
      }
    });
  }
}

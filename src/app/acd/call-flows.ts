/**
 * The life of one call in the ACD, as flows over the store. Every method here runs under the
 * call's serial lock (AcdService takes it), so each flow sees the record the previous one left:
 *
 *   waiting ─deliver→ ringing ─answer→ talking ─end→ (gone, agent wraps up)
 *   ringing ─no-answer→ waiting (old place, old maxWait clock)     waiting|ringing ─leave→ (gone)
 *
 * The dispatcher reserves outside the lock, taking the caller off the queue; so a flow that finds
 * the record waiting but the caller absent from its queue knows a delivery is on its way.
 */
import { handleSeconds } from '../../core/acd/estimate.js';
import { maxWaitAt } from '../../core/acd/overflow.js';
import { AcdStoreError, type AcdStore } from '../../core/acd/store-port.js';
import type { AgentSnapshot, QueueEntry } from '../../core/acd/types.js';
import type { Clock } from '../../core/ports.js';
import type { TimerHandle } from '../timers.js';
import type { AcdRuntime } from './acd-runtime.js';
import type { AgentDesk } from './agent-desk.js';
import type { EnqueueRequest, Enqueued, OverflowReason, QueueNotice, WaitStatus } from './call-acd-port.js';
import type { Assignment, DispatchTrigger } from './dispatch.js';
import { CallBook, type CallRecord } from './call-book.js';
import type { AcdFollowUps } from './follow-ups.js';
import { HandleTimes, waitStatus } from './handle-times.js';
import { callerGone, noAnswer } from './outcomes.js';
import type { QueueRules } from './queue-rules.js';

/**
 * The session reports no-answer itself after ringSeconds; the reservation outlives that by this
 * much so a sweep for dead nodes never frees an agent the session is about to report on.
 */
export const RING_GRACE_MS = 10_000;

export interface CallFlowsDeps {
  readonly store: AcdStore;
  readonly clock: Clock;
  readonly rules: QueueRules;
  readonly desk: AgentDesk;
  readonly rt: AcdRuntime;
  /** this node, recorded on every entry it enqueues (several nodes share the store); none alone */
  readonly owner?: string;
  /** told when a waiting caller's maxWait has come (it takes the lock, then calls `move`) */
  readonly followUps: Pick<AcdFollowUps, 'maxWaitDue'>;
}

export class CallFlows extends CallBook {
  private readonly handleTimes: HandleTimes;

  constructor(private readonly d: CallFlowsDeps) {
    super();
    this.handleTimes = new HandleTimes(d.store);
  }

  async admit(req: EnqueueRequest, listener: (notice: QueueNotice) => void): Promise<Enqueued> {
    if (this.calls.has(req.callId)) throw new Error(`call ${req.callId} is already with the ACD`);
    const now = this.d.clock.now();
    const landing = await this.d.rules.land(req.queueId, now, 'arrival');
    const entry = await this.d.store.enqueue(landing.queueId, {
      callId: req.callId, priority: req.priority, enqueuedAt: now, seniority: req.seniority ?? now, line: req.line,
      ...(req.caller === undefined ? {} : { caller: req.caller }),
      ...(this.d.owner === undefined ? {} : { owner: this.d.owner }),
    });
    const rec: CallRecord = {
      callId: req.callId, listener, line: req.line, caller: req.caller ?? null, seniority: entry.seniority, entry,
      phase: { kind: 'waiting', queueId: landing.queueId },
    };
    this.calls.set(req.callId, rec);
    this.armMaxWait(rec, entry);
    this.d.rt.emit({ type: 'enqueued', at: now, callId: req.callId, queueId: landing.queueId, line: req.line, skipped: landing.skipped });
    const position = (await this.d.store.position(landing.queueId, req.callId)) ?? 1;
    return { queueId: landing.queueId, skipped: landing.skipped, position };
  }

  async status(callId: string): Promise<WaitStatus | null> {
    const rec = this.calls.get(callId);
    return rec?.phase.kind === 'waiting' ? waitStatus(this.d.store, this.handleTimes, rec.phase.queueId, callId) : null;
  }

  /** Hand one reservation to its caller's session: ring, then tell the session whom. */
  async deliver(a: Assignment): Promise<DispatchTrigger | null> {
    const callId = a.entry.callId;
    const rec = this.calls.get(callId);
    const now = this.d.clock.now();
    if (rec?.phase.kind !== 'waiting') {
      // The caller left after the dispatcher took it off the queue.
      if (await callerGone(this.d.store, a, now)) await this.d.desk.emitCurrent(a.agent.id);
      return { kind: 'agent-released', agentId: a.agent.id };
    }
    const queue = this.d.rules.queue(a.entry.queueId);
    const ringEndsAt = now + queue.ringSeconds * 1000;
    // The fencing check before the ring (and so before the bridge): atomic in the store, the agent
    // must still be reserved for this caller. A node that paused and was reaped meanwhile finds
    // the reservation gone here and never rings an agent another caller may have.
    const r = await this.d.store.applyAgentEvent(a.agent.id, { type: 'ring', callId, ringUntil: ringEndsAt + RING_GRACE_MS, ringEndsAt }, now);
    if (!r.ok) {
      // The reservation was lost (reaped, expired and swept): back in line where it was — unless
      // the caller was restored and reserved anew meanwhile (that assignment is on its way).
      if (await this.heldElsewhere(callId)) return null;
      await this.requeue(rec, a.entry);
      this.d.rt.log.warn({ callId, agentId: a.agent.id, error: r.error }, 'acd: reservation lost before ringing; re-queued');
      return { kind: 'caller-enqueued', queueId: a.entry.queueId };
    }
    if (rec.phase.timer !== undefined) this.d.rt.disarm(rec.phase.timer);
    rec.phase = { kind: 'ringing', assignment: { ...a, agent: r.agent } };
    this.d.rt.emit({ type: 'assigned', at: now, callId, queueId: queue.id, agentId: a.agent.id, ...(a.reservedAt === undefined ? {} : { reservedAt: a.reservedAt }) });
    this.d.desk.emitSnapshot(r.agent, now);
    this.d.rt.notify(callId, rec.listener, { kind: 'assigned', queueId: queue.id, agent: this.d.desk.contact(a.agent.id), ringSeconds: queue.ringSeconds });
    return null;
  }

  async answer(callId: string, agentId: string): Promise<void> {
    const rec = this.ringing(callId, agentId, 'answer');
    if (rec?.phase.kind !== 'ringing') return;
    const now = this.d.clock.now();
    const queueId = rec.phase.assignment.entry.queueId;
    const r = await this.d.rt.orRepair(`answer of ${agentId}`, () => this.d.store.applyAgentEvent(agentId, { type: 'answer', callId }, now),
      // Retried after the call ended (its hangup was refused while the agent still rang): the
      // answer would leave the agent on a call for good — it is free instead.
      () => (this.calls.has(callId)
        ? this.d.store.applyAgentEvent(agentId, { type: 'answer', callId }, now)
        : this.d.store.releaseAgent(agentId, callId, this.d.clock.now())));
    // The conversation exists whatever the store says; it is the agent's record that is off.
    if (r?.ok === true) this.d.desk.emitSnapshot(r.agent, now);
    else if (r !== null) this.d.rt.log.warn({ callId, agentId, error: r.error }, 'acd: store refused answer');
    rec.phase = { kind: 'talking', queueId, agentId, answeredAt: now };
    this.d.rt.emit({ type: 'answered', at: now, callId, queueId, agentId, waitedMs: now - rec.seniority });
  }

  async noAnswer(callId: string, agentId: string): Promise<DispatchTrigger | null> {
    const rec = this.ringing(callId, agentId, 'no-answer');
    if (rec?.phase.kind !== 'ringing') return null;
    const now = this.d.clock.now();
    const a = rec.phase.assignment;
    const r = await noAnswer(this.d.store, a, now);
    if (r.ok) this.d.desk.emitSnapshot(r.agent, now);
    else this.d.rt.log.warn({ callId, agentId, error: r.error }, 'acd: store refused no-answer');
    rec.phase = { kind: 'waiting', queueId: a.entry.queueId };
    rec.entry = a.entry;
    // Back with its original enqueuedAt: the maxWait clock did not stop while the agent rang.
    this.armMaxWait(rec, a.entry);
    return { kind: 'caller-enqueued', queueId: a.entry.queueId };
  }

  /**
   * The call is over for the ACD: conversation ended (`agentId` given, must match) or the
   * caller left (any phase). Frees whatever the call held.
   */
  async end(callId: string, agentId?: string): Promise<DispatchTrigger | null> {
    const rec = this.calls.get(callId);
    if (rec === undefined) return null;
    const ph = rec.phase;
    if (agentId !== undefined && !((ph.kind === 'talking' && ph.agentId === agentId) || (ph.kind === 'ringing' && ph.assignment.agent.id === agentId))) {
      this.d.rt.log.warn({ callId, agentId }, 'acd: conversation end for a call not with that agent; ignored');
      return null;
    }
    this.calls.delete(callId);
    const now = this.d.clock.now();
    if (ph.kind === 'waiting') {
      if (ph.timer !== undefined) this.d.rt.disarm(ph.timer);
      // Null when a dispatch has just reserved an agent for it: the delivery finds no record and releases.
      await this.d.store.remove(ph.queueId, callId);
      this.d.rt.emit({ type: 'left', at: now, callId, queueId: ph.queueId, while: 'waiting', waitedMs: now - rec.seniority });
      return null;
    }
    if (ph.kind === 'ringing') {
      const id = ph.assignment.agent.id;
      if (await callerGone(this.d.store, ph.assignment, now)) await this.d.desk.emitCurrent(id);
      this.d.rt.emit({ type: 'left', at: now, callId, queueId: ph.assignment.entry.queueId, while: 'ringing', waitedMs: now - rec.seniority });
      return { kind: 'agent-released', agentId: id };
    }
    const wrapUpSeconds = this.d.rules.queue(ph.queueId).wrapUpSeconds;
    const sample = handleSeconds(ph.answeredAt, now, wrapUpSeconds);
    await this.handleTimes.add(ph.queueId, sample);
    // Kept if the store is away: otherwise the agent would stay on-call in the store for good.
    // Its wrap-up end is then the sweep's (wrap-up due) rather than a timer's.
    const r = await this.d.rt.orRepair(`hangup of ${ph.agentId}`,
      () => this.d.store.applyAgentEvent(ph.agentId, { type: 'hangup', callId, wrapUpSeconds }, now));
    if (r === null) return null;
    if (!r.ok) {
      this.d.rt.log.warn({ callId, agentId: ph.agentId, error: r.error }, 'acd: store refused hangup');
      return null;
    }
    this.d.desk.emitSnapshot(r.agent, now);
    if (r.agent.state.status !== 'wrap-up') return { kind: 'agent-released', agentId: ph.agentId };
    this.d.desk.armWrapUp(ph.agentId, r.agent.state.until);
    return null;
  }

  /**
   * Move a waiting caller from `from` towards `to` (seniority kept). Null when it is not
   * waiting in `from` any more, when `timer` is given and is no longer its maxWait timer, or
   * when a dispatch has just taken it (the delivery carries on from there).
   */
  async move(callId: string, from: string, to: string, reason: OverflowReason, timer?: TimerHandle): Promise<string | null> {
    const rec = this.calls.get(callId);
    if (rec?.phase.kind !== 'waiting' || rec.phase.queueId !== from) return null;
    if (timer !== undefined && rec.phase.timer !== timer) return null;
    const now = this.d.clock.now();
    const landing = await this.d.rules.land(to, now, 'move');
    const moved = await this.d.store.moveEntry(from, landing.queueId, callId, now);
    if (moved === null) return null;
    if (rec.phase.timer !== undefined) this.d.rt.disarm(rec.phase.timer);
    rec.phase = { kind: 'waiting', queueId: landing.queueId };
    rec.entry = moved;
    this.armMaxWait(rec, moved);
    this.d.rt.emit({ type: 'overflowed', at: now, callId, from, to: landing.queueId, reason });
    this.d.rt.notify(callId, rec.listener, { kind: 'overflowed', from, to: landing.queueId, reason });
    return landing.queueId;
  }

  // ── resynchronisation (several nodes, or a store that was away) ──

  /**
   * A caller this node holds waits, but its entry is gone from the store and no agent holds it:
   * the store lost it (restarted empty), another node reaped it (this node's heartbeat lapsed)
   * or the assignment for it was lost with its reservation. Back in line with its old seniority
   * and seq, so its position is what it was. Null when there was nothing to do.
   */
  async restore(callId: string, holderOf: (callId: string) => Promise<AgentSnapshot | undefined>, why: string): Promise<DispatchTrigger | null> {
    const rec = this.calls.get(callId);
    if (rec?.phase.kind !== 'waiting') return null;
    if ((await this.d.store.position(rec.phase.queueId, callId)) !== null) return null;
    const holder = await holderOf(callId);
    // Ringing for a caller this node still has waiting: only this node rings its callers, under the
    // call's lock, so that ring's reply was lost (a command timed out — after a freeze, timers fire
    // before the replies are read). The session never heard of it, so no phone rings: free the
    // agent (at the version seen) and put the caller back. A reservation not yet rung is left to
    // its delivery or its expiry.
    if (holder?.state.status === 'ringing') {
      if (!(await this.d.store.releaseAgent(holder.id, callId, this.d.clock.now(), holder.version))) return null;
      this.d.rt.log.warn({ callId, agentId: holder.id }, 'acd: ring of a waiting caller never confirmed; agent freed');
    } else if (holder !== undefined) {
      return null;
    }
    await this.requeue(rec, rec.entry);
    this.d.rt.log.warn({ callId, queueId: rec.entry.queueId, why }, 'acd: waiting caller missing from the store; re-queued');
    return { kind: 'caller-enqueued', queueId: rec.entry.queueId };
  }

  /** Every waiting caller's maxWait timer again, from its stored enqueuedAt (one that fired while the store was away did nothing). */
  rearmAll(): void {
    for (const rec of this.calls.values()) if (rec.phase.kind === 'waiting') this.armMaxWait(rec, rec.entry);
  }

  /** An agent holds the caller (reserved or ringing): rare path (a lost reservation), so a full read is fine. */
  private async heldElsewhere(callId: string): Promise<boolean> {
    return (await this.d.store.listAgents()).some((x) => (x.state.status === 'reserved' || x.state.status === 'ringing') && x.state.callId === callId);
  }

  private async requeue(rec: CallRecord, entry: QueueEntry): Promise<void> {
    try {
      await this.d.store.enqueue(entry.queueId, entry);
    } catch (err) {
      // Put back already (a no-answer, a restore): it waits, which is what was wanted.
      if (!(err instanceof AcdStoreError && err.code === 'already-queued')) throw err;
    }
    rec.entry = entry;
    this.armMaxWait(rec, entry);
  }

  private ringing(callId: string, agentId: string, what: string): CallRecord | null {
    const rec = this.calls.get(callId);
    if (rec?.phase.kind === 'ringing' && rec.phase.assignment.agent.id === agentId) return rec;
    // A late or crossed report: applying it would move the agent off whatever it does now.
    this.d.rt.log.warn({ callId, agentId }, `acd: ${what} for a call not ringing that agent; ignored`);
    return null;
  }

  private armMaxWait(rec: CallRecord, entry: QueueEntry): void {
    if (rec.phase.kind !== 'waiting') return;
    const phase = rec.phase;
    if (phase.timer !== undefined) this.d.rt.disarm(phase.timer);
    delete phase.timer;
    const queue = this.d.rules.queue(entry.queueId);
    const to = queue.overflow;
    if (to === undefined) return;
    const handle: TimerHandle = this.d.rt.arm(maxWaitAt(queue, entry), `max-wait overflow of ${rec.callId}`,
      () => this.d.followUps.maxWaitDue(rec.callId, handle, entry.queueId, to));
    phase.timer = handle;
  }
}

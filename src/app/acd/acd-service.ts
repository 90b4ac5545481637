/**
 * The ACD service: the one implementation of CallAcd (the call sessions' side) plus the agent
 * desk (login, ready, breaks) and the read models behind the agent API.
 *
 * Ordering rules that keep it race-free on one node (the store's compare-and-set covers several):
 *  - every flow over one call (admit, deliver an assignment, answer, no-answer, overflow move,
 *    leave) runs under that call's serial lock, so each sees the result of the one before;
 *  - dispatch runs outside any call lock and hands each assignment to the call's lock; a
 *    caller who left in between finds no record there, and the agent is released;
 *  - a session never receives a notice before the CallAcd call that made it possible has
 *    resolved: follow-up dispatches start after the method's promise settles;
 *  - agent operations and timer callbacks await their follow-up dispatch (idle() waits for all).
 */
import { handleSeconds, estimateWait, updateHandleAverage } from '../../core/acd/estimate.js';
import { maxWaitAt, overflowSweep } from '../../core/acd/overflow.js';
import { isServing } from '../../core/acd/agent-state.js';
import type { AcdStore } from '../../core/acd/store-port.js';
import { AGENT_STATUSES, type AgentSnapshot, type QueueEntry } from '../../core/acd/types.js';
import type { Registry } from '../../config/schema.js';
import type { Clock } from '../../core/ports.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { CallAcd, EnqueueRequest, Enqueued, OverflowReason, QueueNotice, WaitStatus } from './call-acd-port.js';
import { dispatch, type Assignment, type DispatchTrigger } from './dispatch.js';
import { callerGone, noAnswer } from './outcomes.js';
import { QueueRules } from './queue-rules.js';
import { BackgroundTasks, KeyedSerial } from './serial.js';
import type { AcdEvent, AcdLog, AgentView, PauseReason, QueueView, WaitingCallView } from './acd-model.js';
import { queueViews, waitingCallViews } from './acd-views.js';
import { AgentDesk } from './agent-desk.js';

export interface AcdServiceDeps {
  readonly store: AcdStore;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log?: AcdLog;
  readonly onEvent?: (event: AcdEvent) => void;
  /** How long a reservation lives before the ring renews it (dispatch default 5 s). */
  readonly reserveMs?: number;
}

/**
 * Beyond the ring timeout the session reports no-answer itself; the reservation outlives it by
 * this much so a sweep for dead nodes never frees an agent the session is about to report on.
 */
export const RING_GRACE_MS = 10_000;

type Phase =
  | { kind: 'waiting'; queueId: string; timer?: TimerHandle }
  | { kind: 'ringing'; assignment: Assignment }
  | { kind: 'talking'; queueId: string; agentId: string; answeredAt: number };

interface CallRecord {
  readonly callId: string;
  readonly listener: (notice: QueueNotice) => void;
  readonly line: string;
  readonly caller?: string;
  readonly seniority: number;
  phase: Phase;
}

const noop: AcdLog = { warn: () => undefined, error: () => undefined };

export class AcdService implements CallAcd {
  private readonly desk: AgentDesk;
  private readonly store: AcdStore;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly log: AcdLog;
  private readonly rules: QueueRules;
  private readonly calls = new Map<string, CallRecord>();
  private readonly serial = new KeyedSerial();
  private readonly tasks: BackgroundTasks;
  private readonly armed = new Set<TimerHandle>();
  private readonly scheduleTimers = new Map<string, TimerHandle>();
  private readonly handleAverage = new Map<string, number>();
  private stopped = false;

  constructor(private readonly deps: AcdServiceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.timers = deps.timers;
    this.log = deps.log ?? noop;
    this.rules = new QueueRules(deps.registry, deps.store);
    this.tasks = new BackgroundTasks((err, what) => { this.log.error({ err }, `acd: ${what} failed`); });
    this.desk = new AgentDesk({
      store: deps.store, registry: deps.registry, clock: deps.clock, rules: this.rules,
      emit: (e) => { this.emit(e); },
      armAt: (at, what, fn) => this.arm(at, what, fn),
      disarm: (h) => { this.disarm(h); },
      dispatch: (trigger) => this.dispatchAndDeliver(trigger),
      sweepQueue: (queueId) => this.sweepQueue(queueId),
    });
  }

  /** Registry agents into the store (a known agent keeps its state), schedule watchers armed. */
  async start(): Promise<void> {
    const now = this.clock.now();
    for (const a of this.deps.registry.agents) {
      await this.store.upsertAgent({ id: a.id, skills: a.skills, queues: a.queues }, now);
    }
    for (const id of this.rules.ids()) this.watchSchedule(id);
  }

  /** Cancels every timer and waits for work in flight. Callers in line stay in the store. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const h of this.armed) this.timers.cancel(h);
    this.armed.clear();
    await this.tasks.idle();
  }

  /** Resolves when no background work (follow-up dispatch, timer callback) is in flight. */
  idle(): Promise<void> {
    return this.tasks.idle();
  }

  // ── agents and read models ──

  login(agentId: string): Promise<AgentView> { return this.desk.login(agentId); }
  ready(agentId: string): Promise<AgentView> { return this.desk.ready(agentId); }
  notReady(agentId: string, reason: PauseReason): Promise<AgentView> { return this.desk.notReady(agentId, reason); }
  /** Refused with HOTLINE_ERR_AGENT_STATE while the agent is reserved, ringing or on a call. */
  logout(agentId: string): Promise<AgentView> { return this.desk.logout(agentId); }
  agents(): Promise<AgentView[]> { return this.desk.agents(); }
  /** Throws HOTLINE_ERR_UNKNOWN_AGENT. */
  agent(agentId: string): Promise<AgentView> { return this.desk.agent(agentId); }
  queues(): Promise<QueueView[]> { return queueViews(this.store, this.rules, this.clock.now()); }

  waitingCalls(): Promise<WaitingCallView[]> {
    return waitingCallViews(this.store, this.rules, (callId) => {
      const rec = this.calls.get(callId);
      return rec === undefined ? null : { line: rec.line, caller: rec.caller ?? null };
    }, this.clock.now());
  }

  // ── CallAcd ──

  enqueue(req: EnqueueRequest, listener: (notice: QueueNotice) => void): Promise<Enqueued> {
    const p = this.serial.run(req.callId, () => this.admit(req, listener));
    this.after(p, (e) => this.dispatchAndDeliver({ kind: 'caller-enqueued', queueId: e.queueId }), 'dispatch after enqueue');
    return p;
  }

  async status(callId: string): Promise<WaitStatus | null> {
    const rec = this.calls.get(callId);
    if (rec?.phase.kind !== 'waiting') return null;
    const queueId = rec.phase.queueId;
    const position = await this.store.position(queueId, callId);
    if (position === null) return null;
    const counts = await this.store.agentCounts(queueId);
    const agentsServing = AGENT_STATUSES.reduce((n, s) => (isServing(s) ? n + counts[s] : n), 0);
    const estimate = estimateWait({ position, agentsServing, averageHandleSeconds: this.handleAverage.get(queueId) ?? null });
    return { queueId, position, estimatedWaitMinutes: estimate.minutes };
  }

  agentAnswered(callId: string, agentId: string): Promise<void> {
    return this.serial.run(callId, async () => {
      const rec = this.calls.get(callId);
      if (rec?.phase.kind !== 'ringing' || rec.phase.assignment.agent.id !== agentId) {
        this.log.warn({ callId, agentId }, 'acd: answer for a call not ringing that agent; ignored');
        return;
      }
      const now = this.clock.now();
      const queueId = rec.phase.assignment.entry.queueId;
      const r = await this.store.applyAgentEvent(agentId, { type: 'answer', callId }, now);
      // The conversation exists whatever the store says; the agent's record is what is off.
      if (!r.ok) this.log.warn({ callId, agentId, error: r.error }, 'acd: store refused answer');
      else this.emitAgent(r.agent, now);
      rec.phase = { kind: 'talking', queueId, agentId, answeredAt: now };
      this.emit({ type: 'answered', at: now, callId, queueId, agentId, waitedMs: now - rec.seniority });
    });
  }

  agentNoAnswer(callId: string, agentId: string): Promise<void> {
    const p = this.serial.run(callId, async (): Promise<DispatchTrigger | null> => {
      const rec = this.calls.get(callId);
      if (rec?.phase.kind !== 'ringing' || rec.phase.assignment.agent.id !== agentId) {
        this.log.warn({ callId, agentId }, 'acd: no-answer for a call not ringing that agent; ignored');
        return null;
      }
      const now = this.clock.now();
      const a = rec.phase.assignment;
      const r = await noAnswer(this.store, a, now);
      if (r.ok) this.emitAgent(r.agent, now);
      else this.log.warn({ callId, agentId, error: r.error }, 'acd: store refused no-answer');
      rec.phase = { kind: 'waiting', queueId: a.entry.queueId };
      // Back with its original enqueuedAt: the maxWait clock did not stop while the agent rang.
      this.armMaxWait(rec, a.entry);
      return { kind: 'caller-enqueued', queueId: a.entry.queueId };
    });
    this.after(p, (t) => this.dispatchAndDeliver(t), 'dispatch after no-answer');
    return p.then(() => undefined);
  }

  conversationEnded(callId: string, agentId: string): Promise<void> {
    const p = this.serial.run(callId, async () => {
      const rec = this.calls.get(callId);
      if (rec === undefined || !this.isWithAgent(rec, agentId)) {
        this.log.warn({ callId, agentId }, 'acd: conversation end for a call not with that agent; ignored');
        return null;
      }
      return this.finish(rec);
    });
    this.after(p, (t) => this.dispatchAndDeliver(t), 'dispatch after conversation end');
    return p.then(() => undefined);
  }

  callerLeft(callId: string): Promise<void> {
    const p = this.serial.run(callId, async () => {
      const rec = this.calls.get(callId);
      return rec === undefined ? null : this.finish(rec);
    });
    this.after(p, (t) => this.dispatchAndDeliver(t), 'dispatch after caller left');
    return p.then(() => undefined);
  }

  // ── flows (each runs under the call's lock) ──

  private async admit(req: EnqueueRequest, listener: (notice: QueueNotice) => void): Promise<Enqueued> {
    if (this.calls.has(req.callId)) throw new Error(`call ${req.callId} is already with the ACD`);
    const now = this.clock.now();
    const landing = await this.rules.land(req.queueId, now, 'arrival');
    const entry = await this.store.enqueue(landing.queueId, {
      callId: req.callId, priority: req.priority, enqueuedAt: now, seniority: req.seniority ?? now, line: req.line,
    });
    const rec: CallRecord = {
      callId: req.callId, listener, line: req.line, seniority: entry.seniority,
      phase: { kind: 'waiting', queueId: landing.queueId },
      ...(req.caller === undefined ? {} : { caller: req.caller }),
    };
    this.calls.set(req.callId, rec);
    this.armMaxWait(rec, entry);
    this.emit({ type: 'enqueued', at: now, callId: req.callId, queueId: landing.queueId, line: req.line, skipped: landing.skipped });
    const position = (await this.store.position(landing.queueId, req.callId)) ?? 1;
    return { queueId: landing.queueId, skipped: landing.skipped, position };
  }

  /** The call is over for the ACD (conversation ended or caller gone): free what it held. */
  private async finish(rec: CallRecord): Promise<DispatchTrigger | null> {
    const now = this.clock.now();
    this.calls.delete(rec.callId);
    const ph = rec.phase;
    if (ph.kind === 'waiting') {
      if (ph.timer !== undefined) this.disarm(ph.timer);
      // Null means a dispatch has just reserved an agent for it: the delivery finds no record and releases.
      await this.store.remove(ph.queueId, rec.callId);
      this.emit({ type: 'left', at: now, callId: rec.callId, queueId: ph.queueId, while: 'waiting', waitedMs: now - rec.seniority });
      return null;
    }
    if (ph.kind === 'ringing') {
      const agentId = ph.assignment.agent.id;
      if (await callerGone(this.store, ph.assignment, now)) await this.desk.emitCurrent(agentId);
      this.emit({ type: 'left', at: now, callId: rec.callId, queueId: ph.assignment.entry.queueId, while: 'ringing', waitedMs: now - rec.seniority });
      return { kind: 'agent-released', agentId };
    }
    const wrapUpSeconds = this.rules.queue(ph.queueId).wrapUpSeconds;
    const sample = handleSeconds(ph.answeredAt, now, wrapUpSeconds);
    this.handleAverage.set(ph.queueId, updateHandleAverage(this.handleAverage.get(ph.queueId) ?? null, sample));
    const r = await this.store.applyAgentEvent(ph.agentId, { type: 'hangup', callId: rec.callId, wrapUpSeconds }, now);
    if (!r.ok) {
      this.log.warn({ callId: rec.callId, agentId: ph.agentId, error: r.error }, 'acd: store refused hangup');
      return null;
    }
    this.emitAgent(r.agent, now);
    if (r.agent.state.status === 'wrap-up') {
      this.desk.armWrapUp(ph.agentId, r.agent.state.until);
      return null;
    }
    return { kind: 'agent-released', agentId: ph.agentId };
  }

  private isWithAgent(rec: CallRecord, agentId: string): boolean {
    const ph = rec.phase;
    return (ph.kind === 'talking' && ph.agentId === agentId) || (ph.kind === 'ringing' && ph.assignment.agent.id === agentId);
  }

  /** Hand one reservation to its caller's session: ring, then tell the session whom. */
  private async deliver(a: Assignment): Promise<DispatchTrigger | null> {
    const callId = a.entry.callId;
    const rec = this.calls.get(callId);
    const now = this.clock.now();
    if (rec?.phase.kind !== 'waiting') {
      // The caller left after the dispatcher took it from the queue.
      if (await callerGone(this.store, a, now)) await this.desk.emitCurrent(a.agent.id);
      return { kind: 'agent-released', agentId: a.agent.id };
    }
    if (rec.phase.timer !== undefined) this.disarm(rec.phase.timer);
    const queue = this.rules.queue(a.entry.queueId);
    const ringUntil = now + queue.ringSeconds * 1000 + RING_GRACE_MS;
    const r = await this.store.applyAgentEvent(a.agent.id, { type: 'ring', callId, ringUntil }, now);
    if (!r.ok) {
      // The reservation was lost (expired and swept, agent changed): back in line where it was.
      this.log.warn({ callId, agentId: a.agent.id, error: r.error }, 'acd: reservation lost before ringing; re-queued');
      await this.store.enqueue(a.entry.queueId, a.entry);
      this.armMaxWait(rec, a.entry);
      return { kind: 'caller-enqueued', queueId: a.entry.queueId };
    }
    rec.phase = { kind: 'ringing', assignment: { ...a, agent: r.agent } };
    this.emit({ type: 'assigned', at: now, callId, queueId: queue.id, agentId: a.agent.id });
    this.emitAgent(r.agent, now);
    this.notify(rec, { kind: 'assigned', queueId: queue.id, agent: this.desk.contact(a.agent.id), ringSeconds: queue.ringSeconds });
    return null;
  }

  /** Move a waiting caller on (seniority kept); null when it is no longer in `from`. */
  private async moveCaller(rec: CallRecord, from: string, to: string, reason: OverflowReason): Promise<string | null> {
    if (rec.phase.kind !== 'waiting' || rec.phase.queueId !== from) return null;
    const now = this.clock.now();
    const landing = await this.rules.land(to, now, 'move');
    const moved = await this.store.moveEntry(from, landing.queueId, rec.callId, now);
    // Null: a dispatch has just reserved an agent for it; the delivery carries on from there.
    if (moved === null) return null;
    if (rec.phase.timer !== undefined) this.disarm(rec.phase.timer);
    rec.phase = { kind: 'waiting', queueId: landing.queueId };
    this.armMaxWait(rec, moved);
    this.emit({ type: 'overflowed', at: now, callId: rec.callId, from, to: landing.queueId, reason });
    this.notify(rec, { kind: 'overflowed', from, to: landing.queueId, reason });
    return landing.queueId;
  }

  // ── dispatch and sweeps (outside any call lock) ──

  private async dispatchAndDeliver(trigger: DispatchTrigger): Promise<void> {
    if (this.stopped) return;
    const assignments = await dispatch(this.store, this.rules.lookup, trigger, this.clock.now(),
      this.deps.reserveMs === undefined ? {} : { reserveMs: this.deps.reserveMs });
    const followUps: DispatchTrigger[] = [];
    for (const a of assignments) {
      const t = await this.serial.run(a.entry.callId, () => this.deliver(a));
      if (t !== null) followUps.push(t);
    }
    for (const t of followUps) await this.dispatchAndDeliver(t);
  }

  /**
   * Everyone in `queueId` who must leave it now (closed, no agent logged in, maxWait), in serving
   * order, so the most senior reach the target's agents first. Only callers this node holds
   * are moved: another node's callers are its own to move.
   */
  private async sweepQueue(queueId: string): Promise<void> {
    const queue = this.rules.queue(queueId);
    if (queue.overflow === undefined) return;
    const now = this.clock.now();
    const moves = overflowSweep(queue, await this.store.waiting(queueId), now, await this.rules.view(queueId));
    const targets = new Set<string>();
    for (const { entry, decision } of moves) {
      const to = await this.serial.run(entry.callId, async () => {
        const rec = this.calls.get(entry.callId);
        return rec === undefined ? null : this.moveCaller(rec, queueId, decision.to, decision.reason);
      });
      if (to !== null) targets.add(to);
    }
    for (const t of targets) await this.dispatchAndDeliver({ kind: 'caller-enqueued', queueId: t });
  }

  // ── timers ──

  private armMaxWait(rec: CallRecord, entry: QueueEntry): void {
    if (rec.phase.kind !== 'waiting') return;
    if (rec.phase.timer !== undefined) this.disarm(rec.phase.timer);
    const queue = this.rules.queue(entry.queueId);
    const to = queue.overflow;
    if (to === undefined) {
      delete rec.phase.timer;
      return;
    }
    const from = entry.queueId;
    const handle: TimerHandle = this.arm(maxWaitAt(queue, entry), `max-wait overflow of ${rec.callId}`, async () => {
      const moved = await this.serial.run(rec.callId, () => {
        const cur = this.calls.get(rec.callId);
        // A stale timer (the caller moved, was assigned or left since) does nothing.
        if (cur?.phase.kind !== 'waiting' || cur.phase.timer !== handle) return Promise.resolve(null);
        delete cur.phase.timer;
        return this.moveCaller(cur, from, to, 'max-wait');
      });
      if (moved !== null) await this.dispatchAndDeliver({ kind: 'caller-enqueued', queueId: moved });
    });
    rec.phase.timer = handle;
  }

  /** Watches a queue's schedule: at each change that closes it, its callers move on. */
  private watchSchedule(queueId: string): void {
    if (this.stopped || this.rules.queue(queueId).overflow === undefined) return;
    const change = this.rules.nextChange(queueId, this.clock.now());
    if (change === undefined) return;
    this.scheduleTimers.set(queueId, this.arm(change.at, `schedule change of ${queueId}`, async () => {
      this.watchSchedule(queueId);
      if (!this.rules.isOpen(queueId, this.clock.now())) await this.sweepQueue(queueId);
    }));
  }

  private arm(at: number, what: string, fn: () => Promise<void>): TimerHandle {
    const handle = this.timers.at(at, () => {
      this.armed.delete(handle);
      if (this.stopped) return;
      void this.tasks.track(fn(), what);
    });
    this.armed.add(handle);
    return handle;
  }

  private disarm(handle: TimerHandle): void {
    this.timers.cancel(handle);
    this.armed.delete(handle);
  }

  // ── outputs ──

  /** Runs `next` after `p` settles (and after whoever awaits `p` has been resumed). */
  private after<T>(p: Promise<T>, next: (value: NonNullable<T>) => Promise<void>, what: string): void {
    void this.tasks.track(p.then((v) => (v === null || v === undefined ? undefined : next(v)), () => undefined), what);
  }

  private notify(rec: CallRecord, notice: QueueNotice): void {
    try {
      rec.listener(notice);
    } catch (err) {
      this.log.error({ err, callId: rec.callId, notice: notice.kind }, 'acd: session listener threw');
    }
  }

  private emit(event: AcdEvent): void {
    if (this.deps.onEvent === undefined) return;
    try {
      this.deps.onEvent(event);
    } catch (err) {
      this.log.error({ err, event: event.type }, 'acd: event listener threw');
    }
  }

  private emitAgent(agent: AgentSnapshot, at: number): void {
    this.desk.emitSnapshot(agent, at);
  }
}

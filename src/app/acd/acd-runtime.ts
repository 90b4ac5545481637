/**
 * What every part of the ACD service shares: the per-call serial order, background work,
 * timers that are all cancelled on stop, and the two outputs (session notices, domain events for
 * the observers, ./acd-observer.ts), each guarded so a throwing listener cannot break a flow halfway.
 */
import { isStoreUnavailable } from '../../core/acd/store-port.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { QueueNotice } from './call-acd-port.js';
import type { AcdEvent, AcdLog } from './acd-model.js';
import { AcdObservers, type AcdObserver } from './acd-observer.js';
import { BackgroundTasks, KeyedSerial } from './serial.js';

const silent: AcdLog = { warn: () => undefined, error: () => undefined };

export class AcdRuntime {
  readonly serial = new KeyedSerial();
  readonly tasks: BackgroundTasks;
  readonly log: AcdLog;
  /** Everyone told of each step (metrics, records, the service's own retiring agents). */
  readonly observers: AcdObservers;
  private readonly armed = new Set<TimerHandle>();
  private repairs: { what: string; fn: () => Promise<unknown> }[] = [];
  private stopped = false;

  constructor(private readonly timers: Timers, log: AcdLog | undefined, observer?: AcdObserver) {
    this.log = log ?? silent;
    this.observers = new AcdObservers(this.log, observer);
    this.tasks = new BackgroundTasks((err, what) => {
      // The store away is expected (several nodes, Redis restarts): the resync after it recomputes what this work would have done.
      if (isStoreUnavailable(err)) this.log.warn({ err, what }, 'acd: background work failed, store unavailable');
      else this.log.error({ err, what }, 'acd: background work failed');
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** `fn` runs at `at` as tracked background work; its rejection is logged. */
  arm(at: number, what: string, fn: () => Promise<void>): TimerHandle {
    const handle = this.timers.at(at, () => {
      this.armed.delete(handle);
      if (!this.stopped) void this.tasks.track(fn(), what);
    });
    this.armed.add(handle);
    return handle;
  }

  disarm(handle: TimerHandle): void {
    this.timers.cancel(handle);
    this.armed.delete(handle);
  }

  /** Cancels every timer, then waits for work in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const h of this.armed) this.timers.cancel(h);
    this.armed.clear();
    await this.tasks.idle();
  }

  /**
   * Runs `next` with p's value once p has settled, as background work — so a session awaiting
   * p is resumed before any notice the follow-up produces. Null and rejections end the chain.
   */
  after<T>(p: Promise<T | null>, next: (value: T) => Promise<void>, what: string): void {
    void this.tasks.track(p.then((v) => (v === null ? undefined : next(v)), () => undefined), what);
  }

  /**
   * Runs a store write that must not be lost (an agent's answer or hangup: without it the agent
   * would stay ringing, expire and be offered a call while talking, or stay on-call forever).
   * If the store is unreachable the write is kept and retried by `runRepairs` once it is back;
   * meanwhile null. Other errors are thrown as usual. `later`, if given, is what is retried
   * (it may look at what happened meanwhile).
   */
  async orRepair<T>(what: string, fn: () => Promise<T>, later: () => Promise<unknown> = fn): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      this.log.warn({ err, what }, 'acd: store unavailable, work kept for when it is back');
      this.repairs.push({ what, fn: later });
      return null;
    }
  }

  /** Retries the kept writes in order; one that fails on the store again stays kept. */
  async runRepairs(): Promise<void> {
    const todo = this.repairs;
    this.repairs = [];
    for (let i = 0; i < todo.length; i++) {
      const r = todo[i];
      if (r === undefined) continue;
      try {
        await r.fn();
      } catch (err) {
        if (!isStoreUnavailable(err)) {
          this.log.error({ err, what: r.what }, 'acd: repair of kept work failed');
          continue;
        }
        this.repairs.push(...todo.slice(i));
        return;
      }
    }
  }

  get pendingRepairs(): number {
    return this.repairs.length;
  }

  notify(callId: string, listener: (n: QueueNotice) => void, notice: QueueNotice): void {
    try {
      listener(notice);
    } catch (err) {
      this.log.error({ err, callId, notice: notice.kind }, 'acd: session listener threw');
    }
  }

  emit(event: AcdEvent): void {
    this.observers.onAcdEvent(event);
  }
}

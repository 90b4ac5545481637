/**
 * A Clock and a Timers in one, driven by hand: time stands still until a test moves it.
 *
 *   advance(ms)  runs every timer due by now+ms in time order (arming order on ties), setting
 *                the clock to each timer's instant before running it; timers armed by a callback
 *                run too when they fall inside the window. Synchronous.
 *   tick(ms)     the same, but lets promise chains started by each callback settle before the
 *                clock moves on: use it when timer callbacks start async work (store calls).
 *   settle()     waits for pending promise chains (one macrotask turn).
 */
import type { Clock } from '../../src/core/ports.js';
import type { TimerHandle, Timers } from '../../src/app/timers.js';

interface Pending extends TimerHandle {
  readonly seq: number;
  readonly fn: () => void;
}

export class ManualClock implements Clock, Timers {
  private t: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start: number | string = 0) {
    this.t = typeof start === 'number' ? start : Date.parse(start);
  }

  now(): number {
    return this.t;
  }

  at(epochMs: number, fn: () => void): TimerHandle {
    const p: Pending = { at: epochMs, seq: ++this.seq, fn };
    this.pending.push(p);
    return p;
  }

  cancel(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p !== handle);
  }

  /** Timers not yet fired, soonest first (for assertions). */
  armed(): number[] {
    return this.sorted().map((p) => p.at);
  }

  advance(ms: number): void {
    const until = this.t + ms;
    for (let next = this.nextDue(until); next !== undefined; next = this.nextDue(until)) this.fire(next);
    this.t = until;
  }

  /** Moves to an absolute instant (never backwards). */
  advanceTo(epochMs: number): void {
    this.advance(Math.max(0, epochMs - this.t));
  }

  async tick(ms: number): Promise<void> {
    const until = this.t + ms;
    await settle();
    for (let next = this.nextDue(until); next !== undefined; next = this.nextDue(until)) {
      this.fire(next);
      await settle();
    }
    this.t = until;
  }

  async tickTo(epochMs: number): Promise<void> {
    await this.tick(Math.max(0, epochMs - this.t));
  }

  private sorted(): Pending[] {
    return [...this.pending].sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  private nextDue(until: number): Pending | undefined {
    const next = this.sorted()[0];
    return next !== undefined && next.at <= until ? next : undefined;
  }

  private fire(p: Pending): void {
    this.pending = this.pending.filter((x) => x !== p);
    // A timer armed for the past runs now: the clock never goes backwards.
    this.t = Math.max(this.t, p.at);
    p.fn();
  }
}

/** One macrotask turn: every promise chain made only of resolved promises has run by then. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

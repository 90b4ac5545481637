/**
 * Simulated time: a Clock and a Timers over one event list (a binary heap on (at, arming order)).
 * `run` fires events in time order and, after each, lets every promise chain it started settle
 * before the clock moves — the router's own async flows (ACD, call sessions) then see time stand
 * still while they work, exactly as on a fast machine, and a day passes in seconds.
 * Nothing here touches the wall clock: the same inputs fire the same events in the same order.
 *
 * Settling. `microtask` (the default) fires the next event once the microtask queue is empty:
 * after each event it queues one reaction behind the microtasks the event started, and that
 * reaction arms a `process.nextTick` — Node runs next-tick callbacks only between complete drains
 * of the microtask queue, so the tick comes exactly when every promise chain the event started has
 * run, however long, with no event-loop turn. `macrotask` waits one setImmediate turn after each
 * event: as exact, but an event-loop turn costs microseconds, a day's worth of seconds. Both are
 * deterministic; the tests hold them to the same decisions.
 */
import type { Clock } from '../../core/ports.js';
import type { TimerHandle, Timers } from '../timers.js';

interface Pending extends TimerHandle {
  readonly seq: number;
  /** Dropped on cancel: a cancelled timer waits in the heap until its instant, and must not keep its call alive till then. */
  fn: () => void;
  cancelled: boolean;
}

const NOTHING = (): void => undefined;

const before = (a: Pending, b: Pending): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Reacting to it takes exactly one microtask turn. */
const SETTLED: Promise<void> = Promise.resolve();

/** One macrotask turn: every chain of already-resolved promises has run by then. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type SettleMode = 'macrotask' | 'microtask';

export class EventClock implements Clock, Timers {
  private t: number;
  private seq = 0;
  private readonly heap: Pending[] = [];
  /** Events armed in bulk (`atEach`), sorted; `next` is the first not yet fired. */
  private backlog: (Pending | undefined)[] = [];
  private backlogNext = 0;
  private fired = 0;

  constructor(start: number, private readonly mode: SettleMode = 'microtask') {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  /** Events fired so far. */
  get events(): number {
    return this.fired;
  }

  at(epochMs: number, fn: () => void): TimerHandle {
    // Never in the past: a deadline already gone runs now, after what is already due now.
    const p: Pending = { at: Math.max(epochMs, this.t), seq: ++this.seq, fn, cancelled: false };
    this.push(p);
    return p;
  }

  /**
   * Arms every event of `list` as `at` would, one after the other (same seqs, so the same order
   * among equal instants), but keeps them in a sorted backlog beside the heap: a day's arrivals,
   * known in advance, would otherwise make the heap 100,000 entries deep and every pop pay for it.
   */
  atEach(list: readonly { readonly at: number; readonly fn: () => void }[]): void {
    const added: Pending[] = [];
    for (const e of list) added.push({ at: Math.max(e.at, this.t), seq: ++this.seq, fn: e.fn, cancelled: false });
    const rest = this.backlog.slice(this.backlogNext).filter((p): p is Pending => p !== undefined);
    this.backlog = rest.concat(added).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    this.backlogNext = 0;
  }

  cancel(handle: TimerHandle): void {
    // Lazy: a cancelled event stays in the heap and is skipped when it comes up.
    const p = handle as Pending;
    p.cancelled = true;
    p.fn = NOTHING;
  }

  /** Instant of the next live event, or undefined. */
  peek(): number | undefined {
    return this.upcoming()?.at;
  }

  /**
   * Fires every event due by `until` in order, settling after each; the clock ends at `until`
   * (or at the last event when `until` is Infinity). `onEvent` is called after each settle.
   *
   * Written as callbacks rather than `await` in a loop: each await costs more than a reaction
   * (queueMicrotask, with its async-hooks resource, costs more still).
   */
  run(until: number, onEvent?: (now: number) => void): Promise<void> {
    return new Promise<void>((resolve, rejectWith) => {
      // Whatever an event throws ends the run with it unchanged, as a throw out of an async loop did.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      const reject = (err: unknown): void => { rejectWith(err); };
      const fireNext = (): void => {
        try {
          const next = this.upcoming();
          if (next === undefined || next.at > until) {
            if (Number.isFinite(until)) this.t = Math.max(this.t, until);
            resolve();
            return;
          }
          this.take(next);
          this.t = next.at;
          this.fired += 1;
          next.fn();
        } catch (err) {
          reject(err);
          return;
        }
        if (this.mode === 'macrotask') {
          // One macrotask turn, then the two turns the awaits of the settle took.
          setImmediate(() => { void SETTLED.then(() => { void SETTLED.then(settled); }); });
          return;
        }
        // Not the tick itself: queued now, from a tick (or an immediate), it would run before the
        // microtasks. Queued from the reaction, it runs once the microtask queue is empty.
        void SETTLED.then(settleWhenEmpty);
      };
      const settleWhenEmpty = (): void => { process.nextTick(settled); };
      const settled = (): void => {
        try {
          onEvent?.(this.t);
        } catch (err) {
          reject(err);
          return;
        }
        fireNext();
      };
      // After one macrotask turn: whatever the caller started before run() has settled.
      setImmediate(fireNext);
    });
  }

  /** The next live event, from the heap or the backlog, left in place. */
  private upcoming(): Pending | undefined {
    while (this.heap[0]?.cancelled === true) this.pop();
    while (this.backlog[this.backlogNext]?.cancelled === true) this.backlog[this.backlogNext++] = undefined;
    const h = this.heap[0];
    const b = this.backlog[this.backlogNext];
    if (h === undefined) return b;
    if (b === undefined) return h;
    return before(b, h) ? b : h;
  }

  /** Removes `p`, which `upcoming` just returned. */
  private take(p: Pending): void {
    // A fired backlog entry is dropped: the backlog must not hold a day of closures to its end.
    if (p === this.backlog[this.backlogNext]) this.backlog[this.backlogNext++] = undefined;
    else this.pop();
  }

  private push(p: Pending): void {
    const h = this.heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const hp = h[parent] as Pending;
      if (!before(p, hp)) break;
      h[i] = hp;
      i = parent;
    }
    h[i] = p;
  }

  private pop(): Pending | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const child = r < h.length && before(h[r] as Pending, h[l] as Pending) ? r : l;
      const hc = h[child] as Pending;
      if (!before(hc, last)) break;
      h[i] = hc;
      i = child;
    }
    h[i] = last;
    return top;
  }
}

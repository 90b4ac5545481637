/**
 * Ordering helpers for the ACD service. Store calls are atomic one by one, but a flow over a
 * call (deliver an assignment, take a no-answer, move on overflow, leave) spans several of them;
 * running the flows of one call one after another is what keeps "the caller hung up while its
 * assignment was being delivered" a sequence instead of a race.
 */

/** Settled: a task queued behind it starts one microtask turn later, as behind a finished one. */
const IDLE: Promise<void> = Promise.resolve();

/**
 * Runs tasks one at a time per key, in arrival order; different keys run concurrently.
 * Every call of the ACD goes through here, so it makes few promises: the task's, and one tail
 * per task whose own handler forgets the key (at the turn the tail settles, as before).
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? IDLE;
    const result = prev.then(task, task);
    // The tail never rejects: a failed task must not poison the ones queued behind it.
    const forget = (): undefined => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      return undefined;
    };
    const tail: Promise<unknown> = result.then(forget, forget);
    this.tails.set(key, tail);
    return result;
  }
}

/** Work started in the background (timer callbacks, follow-up dispatches), so it can be awaited. */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly onError: (err: unknown, what: string) => void) {}

  /** Never rejects: failures are reported to `onError`. */
  track(work: Promise<unknown>, what: string): Promise<void> {
    const p: Promise<void> = work.then(() => { this.pending.delete(p); }, (err: unknown) => {
      this.pending.delete(p);
      this.onError(err, what);
    });
    this.pending.add(p);
    return p;
  }

  /** Resolves once nothing is pending, including work started by work that was pending. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

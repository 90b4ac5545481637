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
 * Every call of the ACD goes through here, so it makes few promises and no closure per task:
 * a key's lane (made once) counts its tasks and is forgotten when the last one's tail settles.
 */
export class KeyedSerial {
  private readonly lanes = new Map<string, Lane>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = new Lane(this.lanes, key);
      this.lanes.set(key, lane);
    }
    return lane.add(task);
  }
}

class Lane {
  /** Settles once the last task queued here has; never rejects. */
  private tail: Promise<unknown> = IDLE;
  private queued = 0;

  constructor(private readonly lanes: Map<string, Lane>, private readonly key: string) {}

  add<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.queued += 1;
    // The tail never rejects: a failed task must not poison the ones queued behind it.
    this.tail = result.then(this.settled, this.settled);
    return result;
  }

  private readonly settled = (): void => {
    this.queued -= 1;
    if (this.queued === 0 && this.lanes.get(this.key) === this) this.lanes.delete(this.key);
  };
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

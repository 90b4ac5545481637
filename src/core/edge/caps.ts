/**
 * Per-trunk caps: new calls per second and calls in progress. Pure — the caller passes the
 * instant. CPS is counted in a sliding one-second window (the last `limit` admission times), so
 * a burst at a second's boundary cannot pass twice the rate. A refusal says when to retry
 * (Retry-After, whole seconds, at least 1).
 */
export type CapVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'cps' | 'concurrent'; readonly retryAfterSeconds: number };

export class TrunkCaps {
  /** Admission instants of the last second, oldest first; a ring of `maxCallsPerSecond` slots. */
  private readonly admitted: number[];
  private next = 0;
  private count = 0;
  private inProgress = 0;

  constructor(private readonly maxCallsPerSecond: number, private readonly maxConcurrentCalls: number) {
    this.admitted = new Array<number>(maxCallsPerSecond).fill(0);
  }

  /** Admits a new call at `at` (ms) or says why not; an admitted call counts until `release()`. */
  admit(at: number): CapVerdict {
    if (this.inProgress >= this.maxConcurrentCalls) return { ok: false, reason: 'concurrent', retryAfterSeconds: 1 };
    if (this.count === this.maxCallsPerSecond) {
      const oldest = this.admitted[this.next] ?? 0;
      if (at - oldest < 1000) return { ok: false, reason: 'cps', retryAfterSeconds: Math.max(1, Math.ceil((oldest + 1000 - at) / 1000)) };
    } else {
      this.count++;
    }
    this.admitted[this.next] = at;
    this.next = (this.next + 1) % this.maxCallsPerSecond;
    this.inProgress++;
    return { ok: true };
  }

  release(): void {
    this.inProgress = Math.max(0, this.inProgress - 1);
  }

  get calls(): number {
    return this.inProgress;
  }
}

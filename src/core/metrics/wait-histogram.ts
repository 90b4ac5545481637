/**
 * Wait-time percentiles with bounded memory and O(1) insertion: one counter per whole second
 * from 0 to 3600 s (one hour), the last counter holding everything longer.
 *
 * Exactness: a wait is rounded to the nearest whole second (half up) before it is counted, and
 * percentiles are nearest-rank over those rounded values — so p50/p90 are exact to ±0.5 s, and
 * exact when waits are whole seconds. A percentile falling in the last counter reads 3600
 * ("an hour or more"). The mean (ASA) is kept from the unrounded sum, so it is exact.
 */

export const HISTOGRAM_MAX_SECONDS = 3600;

export class WaitHistogram {
  private counts: Uint32Array | undefined;
  private n = 0;
  private sum = 0;

  add(seconds: number): void {
    const s = Math.max(0, seconds);
    // Allocated on first use: most hourly / per-line scopes see few waits or none.
    this.counts ??= new Uint32Array(HISTOGRAM_MAX_SECONDS + 1);
    const i = Math.min(HISTOGRAM_MAX_SECONDS, Math.floor(s + 0.5));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.n += 1;
    this.sum += s;
  }

  get count(): number {
    return this.n;
  }

  mean(): number | null {
    return this.n === 0 ? null : this.sum / this.n;
  }

  /** Nearest rank: the smallest value v with at least ⌈p·n⌉ waits ≤ v. p in (0, 1]. */
  percentile(p: number): number | null {
    if (this.n === 0 || this.counts === undefined) return null;
    const rank = Math.max(1, Math.ceil(p * this.n));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i += 1) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return i;
    }
    return HISTOGRAM_MAX_SECONDS;
  }
}

/**
 * Failed authentications per source address, with a lockout: past `maxFailures` wrong tokens in
 * one window the address is refused (429) for the window's length, whatever token it then shows —
 * letting a right token through would tell a guesser it guessed right.
 *
 * Not @fastify/rate-limit: it counts every request, and only failures may count here — a wall
 * board polling every second from a shared NAT address must never lock its neighbours out.
 * In memory, per node: a guesser spread over several nodes gets maxFailures on each.
 */
export interface FailedAuthLimits {
  /** 0 = no lockout (failures are still counted). */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Addresses tracked at once; past it the oldest entries go (the map must not grow without bound). */
  readonly maxTracked?: number;
}

interface Entry {
  windowStart: number;
  failures: number;
  lockedUntil: number;
}

export type FailureOutcome =
  | { readonly locked: false }
  /** This failure started a lockout. */
  | { readonly locked: true; readonly failures: number; readonly untilMs: number };

const DEFAULT_MAX_TRACKED = 100_000;

export class FailedAuthLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly maxTracked: number;

  constructor(private readonly limits: FailedAuthLimits, private readonly now: () => number = Date.now) {
    this.maxTracked = limits.maxTracked ?? DEFAULT_MAX_TRACKED;
  }

  get tracked(): number {
    return this.entries.size;
  }

  /** Milliseconds the address is still locked out; 0 when it is not. */
  lockedFor(address: string): number {
    const entry = this.entries.get(address);
    if (entry === undefined) return 0;
    const left = entry.lockedUntil - this.now();
    return left > 0 ? left : 0;
  }

  /** One wrong token from `address`. */
  fail(address: string): FailureOutcome {
    const now = this.now();
    let entry = this.entries.get(address);
    if (entry === undefined || (now - entry.windowStart >= this.limits.windowMs && entry.lockedUntil <= now)) {
      entry = { windowStart: now, failures: 0, lockedUntil: 0 };
      this.track(address, entry);
    }
    entry.failures += 1;
    if (this.limits.maxFailures > 0 && entry.failures >= this.limits.maxFailures && entry.lockedUntil <= now) {
      entry.lockedUntil = now + this.limits.windowMs;
      return { locked: true, failures: entry.failures, untilMs: entry.lockedUntil };
    }
    return { locked: false };
  }

  private track(address: string, entry: Entry): void {
    this.entries.delete(address);
    if (this.entries.size >= this.maxTracked) this.evict();
    this.entries.set(address, entry);
  }

  /**
   * Expired entries first, then the oldest (Map order is insertion order) down to 90 %: a sweep
   * is O(tracked), so it frees room for many new addresses at once, not one.
   */
  private evict(): void {
    const now = this.now();
    for (const [address, e] of this.entries) {
      if (e.lockedUntil <= now && now - e.windowStart >= this.limits.windowMs) this.entries.delete(address);
    }
    const target = Math.floor(this.maxTracked * 0.9);
    while (this.entries.size > target) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) return;
      this.entries.delete(oldest.value);
    }
  }
}

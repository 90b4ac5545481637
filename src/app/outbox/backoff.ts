/**
 * When to try a failed delivery again: full jitter over a capped exponential (attempt n waits a
 * uniform share of min(cap, base·2^(n-1))), so receivers coming back up are not hit by every
 * node's retries at the same instant. A receiver's Retry-After is a floor, still capped.
 */
export interface RetryPolicy {
  /** attempts before an item is given up (dead) */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** 15 waits before a delivery is dead: about 35 minutes on average (a wait is uniform up to its cap), 67 at most. */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ maxAttempts: 16, baseDelayMs: 1_000, maxDelayMs: 600_000 });

/** Delay after failed attempt `attempt` (1-based). `random` in [0, 1). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exp * random());
  return retryAfterMs === undefined ? jittered : Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs));
}

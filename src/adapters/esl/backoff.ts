export interface BackoffOptions {
  /** First delay (ms). Default 250. */
  initialMs?: number;
  /** Cap (ms). Default 30 000. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
}

/**
 * "Full jitter" exponential backoff: a uniformly random delay in [cap/2, cap] where cap grows
 * exponentially up to maxMs. Half-jitter keeps a floor (no hot loop) while spreading several
 * router nodes that lost the same FreeSWITCH at the same instant.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialMs ?? 250;
  const max = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const cap = Math.min(max, initial * factor ** Math.max(0, attempt));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

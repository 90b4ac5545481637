/**
 * Time-driven work (overflow at maxWait, wrap-up end, schedule changes, ring timeouts) goes
 * through this port so tests can drive it with a manual clock instead of waiting.
 * `at` takes an absolute instant, not a delay: callers compute deadlines from their Clock, and a
 * deadline already past runs as soon as possible.
 */

/** Opaque to users: hand it back to `cancel`. */
export interface TimerHandle {
  /** The instant the timer was armed for (epoch ms); informative only. */
  readonly at: number;
}

export interface Timers {
  /** Run `fn` once at `epochMs` (never before it, as seen by the Clock it was built with). */
  at(epochMs: number, fn: () => void): TimerHandle;
  /** Idempotent; cancelling a fired or unknown handle does nothing. */
  cancel(handle: TimerHandle): void;
}

/**
 * The Timers port over setTimeout. Two details setTimeout gets wrong for absolute deadlines:
 *  - it may fire a millisecond or so before the wall clock reaches the deadline (it runs on a
 *    monotonic clock), and an early wrap-up-done is refused as too early — so a callback is
 *    re-armed until the Clock says the instant has come;
 *  - delays above 2^31−1 ms (~24.8 days, e.g. the next schedule change after a long holiday
 *    horizon) overflow to 1 ms — so long waits are chained.
 * Timers are unref'd: a pending overflow or schedule timer must not keep a stopping process alive.
 */
import type { TimerHandle, Timers } from '../../app/timers.js';
import type { Clock } from '../../core/ports.js';

const MAX_DELAY_MS = 2_147_483_647;

class NodeTimer implements TimerHandle {
  timeout: NodeJS.Timeout | undefined;
  cancelled = false;
  constructor(readonly at: number, readonly fn: () => void) {}
}

export class NodeTimers implements Timers {
  constructor(private readonly clock: Clock = { now: () => Date.now() }) {}

  at(epochMs: number, fn: () => void): TimerHandle {
    const timer = new NodeTimer(epochMs, fn);
    this.schedule(timer);
    return timer;
  }

  cancel(handle: TimerHandle): void {
    if (!(handle instanceof NodeTimer)) return;
    handle.cancelled = true;
    if (handle.timeout !== undefined) clearTimeout(handle.timeout);
    handle.timeout = undefined;
  }

  private schedule(timer: NodeTimer): void {
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, timer.at - this.clock.now()));
    timer.timeout = setTimeout(() => {
      timer.timeout = undefined;
      if (timer.cancelled) return;
      if (this.clock.now() < timer.at) {
        this.schedule(timer);
        return;
      }
      timer.cancelled = true;
      timer.fn();
    }, delay);
    timer.timeout.unref();
  }
}

/**
 * The event loop's delay (perf_hooks monitorEventLoopDelay): p99 of the last full window, or
 * of the window under way when that is already worse — a stall shows at once, not a second later.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export class EventLoopDelayMonitor {
  private readonly histogram: IntervalHistogram;
  private timer: NodeJS.Timeout | undefined;
  private lastWindowMs = 0;

  constructor(private readonly windowMs = 1000, private readonly resolutionMs = 10) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.lastWindowMs = this.p99();
      this.histogram.reset();
    }, this.windowMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.histogram.disable();
  }

  /** Milliseconds. */
  current(): number {
    return Math.max(this.lastWindowMs, this.p99());
  }

  private p99(): number {
    // A sample is the time between two ticks of a `resolution` timer: the resolution itself is no delay.
    return this.histogram.count === 0 ? 0 : Math.max(0, this.histogram.percentile(99) / 1e6 - this.resolutionMs);
  }
}

/**
 * The event loop's delay (perf_hooks monitorEventLoopDelay): p99 of the last full window, or
 * of the window under way when that is already worse — a stall shows at once, not a second later.
 * With it, the process's CPU over the same window: a delay while the CPU is busy is the router's
 * own load; a delay while it is idle is a host that did not run it (stopped, starved).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

interface Window { readonly delayMs: number; readonly cpuShare: number }

export class EventLoopDelayMonitor {
  private readonly histogram: IntervalHistogram;
  private timer: NodeJS.Timeout | undefined;
  private last: Window = { delayMs: 0, cpuShare: 0 };
  private windowStart = { wallUs: 0, cpu: process.cpuUsage() };

  constructor(private readonly windowMs = 1000, private readonly resolutionMs = 10) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.histogram.enable();
    this.beginWindow();
    this.timer = setInterval(() => {
      this.last = this.underWay();
      this.histogram.reset();
      this.beginWindow();
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
    return this.worse().delayMs;
  }

  /** The process's CPU time over the window current() reads, as a share of one core (all threads). */
  cpuShare(): number {
    return this.worse().cpuShare;
  }

  private worse(): Window {
    const now = this.underWay();
    return now.delayMs > this.last.delayMs ? now : this.last;
  }

  private beginWindow(): void {
    this.windowStart = { wallUs: performance.now() * 1000, cpu: process.cpuUsage() };
  }

  private underWay(): Window {
    const wallUs = performance.now() * 1000 - this.windowStart.wallUs;
    const cpu = process.cpuUsage(this.windowStart.cpu);
    return { delayMs: this.p99(), cpuShare: wallUs <= 0 ? 0 : (cpu.user + cpu.system) / wallUs };
  }

  private p99(): number {
    // A sample is the time between two ticks of a `resolution` timer: the resolution itself is no delay.
    return this.histogram.count === 0 ? 0 : Math.max(0, this.histogram.percentile(99) / 1e6 - this.resolutionMs);
  }
}

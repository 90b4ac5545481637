/**
 * The event loop's delay (perf_hooks monitorEventLoopDelay): p99 over the last one to two windows
 * (a stall counted as the ticks it held back), with the process's CPU share over the same time. A delay while the CPU is busy is the router's
 * own load; a delay while it is idle is a host that did not run it (stopped, starved).
 *
 * Two histograms, reset in turn at each window's end, so one of them always spans the last full
 * window and the one under way. One histogram reset at every window end loses a stop that spans
 * the end: after the stop the window's timer and the histogram's run in either order, and a reset
 * before the histogram's tick forgets when it last ticked, so the stop's delay is never recorded
 * (seen: a 700 ms SIGSTOP read as 0.8 ms).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

interface Span { readonly histogram: IntervalHistogram; wallUs: number; cpu: NodeJS.CpuUsage }

export class EventLoopDelayMonitor {
  private readonly spans: [Span, Span];
  /** The span reset next: the older one. */
  private older: 0 | 1 = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly windowMs = 1000, private readonly resolutionMs = 10) {
    const span = (): Span => ({ histogram: monitorEventLoopDelay({ resolution: resolutionMs }), wallUs: 0, cpu: process.cpuUsage() });
    this.spans = [span(), span()];
  }

  start(): void {
    if (this.timer !== undefined) return;
    for (const s of this.spans) {
      s.histogram.enable();
      this.restart(s);
    }
    this.timer = setInterval(() => {
      this.restart(this.spans[this.older]);
      this.older = this.older === 0 ? 1 : 0;
    }, this.windowMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const s of this.spans) s.histogram.disable();
  }

  /** Milliseconds. */
  current(): number {
    return Math.max(this.p99(this.spans[0].histogram), this.p99(this.spans[1].histogram));
  }

  /** The process's CPU time (all threads) over the same time as current(), as a share of one core. */
  cpuShare(): number {
    const from = this.spans[this.older];
    const wallUs = performance.now() * 1000 - from.wallUs;
    const cpu = process.cpuUsage(from.cpu);
    return wallUs <= 0 ? 0 : (cpu.user + cpu.system) / wallUs;
  }

  private restart(s: Span): void {
    s.histogram.reset();
    s.wallUs = performance.now() * 1000;
    s.cpu = process.cpuUsage();
  }

  private p99(h: IntervalHistogram): number {
    if (h.count === 0) return 0;
    // A sample is the time between two ticks of a `resolution` timer: the resolution itself is no delay.
    const r = this.resolutionMs;
    const recorded = h.percentile(99) / 1e6 - r;
    // A stall is one sample however long it lasts, so among a second's hundred ticks a 900 ms stop
    // could fall outside the 99th percentile. Counted as the ticks it held back (delays D, D - r,
    // D - 2r, …: the coordinated-omission correction), the top 1 % of all ticks are the stall's
    // first ones: its delay less 1 % of the ticks times the resolution.
    const stall = h.max / 1e6 - r;
    const ticks = h.count + Math.max(0, stall) / r;
    return Math.max(0, recorded, stall - 0.01 * ticks * r);
  }
}

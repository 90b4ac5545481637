/** Prints the event-loop monitor's reading every 20 ms, for a parent that SIGSTOPs this process. */
import { EventLoopDelayMonitor } from '../../../../src/adapters/timers/index.js';

// The window: argv, so a parent's stop can be made longer than a window (its timer then fires on resume).
const monitor = new EventLoopDelayMonitor(Number(process.argv[2] ?? 1000), 10);
monitor.start();
setInterval(() => {
  process.stdout.write(`${JSON.stringify({ delayMs: monitor.current(), cpuShare: monitor.cpuShare() })}\n`);
}, 20);

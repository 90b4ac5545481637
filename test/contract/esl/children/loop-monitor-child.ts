/** Prints the event-loop monitor's reading every 20 ms, for a parent that SIGSTOPs this process. */
import { EventLoopDelayMonitor } from '../../../../src/adapters/timers/index.js';

const monitor = new EventLoopDelayMonitor(1000, 10);
monitor.start();
setInterval(() => {
  process.stdout.write(`${JSON.stringify({ delayMs: monitor.current(), cpuShare: monitor.cpuShare() })}\n`);
}, 20);

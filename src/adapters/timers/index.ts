export { NodeTimers } from './node-timers.js';
export { EventLoopDelayMonitor } from './event-loop-delay.js';

export { NodeTimers } from './node-timers.js';
export { EVENT_LOOP_RESOLUTION_MS, EventLoopDelayMonitor } from './event-loop-delay.js';

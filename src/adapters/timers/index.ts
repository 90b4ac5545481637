export { NodeTimers } from './node-timers.js';

export { MemoryAcdStore } from './memory-acd-store.js';
export { MemoryLiveCalls } from './memory-live-calls.js';
export { MemoryRegistrations } from './memory-registrations.js';

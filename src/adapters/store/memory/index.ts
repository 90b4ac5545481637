export { MemoryAcdStore } from './memory-acd-store.js';

export * from './types.js';
export * from './agent-state.js';
export * from './selection.js';
export * from './queue-order.js';
export * from './overflow.js';
export * from './estimate.js';
export * from './store-port.js';

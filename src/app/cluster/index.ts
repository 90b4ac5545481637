export * from './cluster-port.js';

export { callOrigin, nodeHoldingCall, type CallOrigin, type KnownNode } from './holder.js';
export { eslTargets, splitEslAddress, SINGLE_NODE, type EslTarget } from './targets.js';
export { combinedLoad, loadForNode } from './combined-load.js';

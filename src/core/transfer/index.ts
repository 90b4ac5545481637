export * from './types.js';
export { initialTransferState } from './legs.js';
export { transferStep } from './machine.js';
export { atMostOnce, checkStart, isEmergency, phaseAllowsStart, targetOpen } from './rules.js';
export { buildTransferDirectory, isRefusal, type DirectoryOptions, type TargetView, type TransferDirectory } from './directory.js';
export { FeatureCodeParser, parseFeatureCode, type FeatureAction, type FeatureCodeResult } from './dtmf.js';

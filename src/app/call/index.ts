export { CallManager, type DrainResult } from './manager.js';
export { CallSession, type IncomingCall, type SessionDeps } from './session.js';
export type { CallPorts } from './command-runner.js';
export type { BridgeEnd, BridgeOutcome, MediaControl } from './media-port.js';
export { DEFAULT_HOLD, FilePromptCatalog, type PromptCatalog } from './prompts.js';
export { callPolicy } from './policy.js';
export { LoadShedder, type CallGate, type CapacitySources, type LoadShedderOptions, type ShedHealth } from './load-shedder.js';
export { channelFacts, routeRequest, type ChannelFacts } from './route-input.js';

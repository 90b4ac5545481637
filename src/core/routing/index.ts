export { isEmergencyNumber, route } from './route.js';
export { buildRoutingTable, type LineEntry, type QueueEntry, type RoutingOptions, type RoutingTable } from './table.js';
export { resolveQueue, type QueueChoice } from './queue-chain.js';
export { normalizeDestination, withoutAreaCode, type Normalized } from './normalize.js';
export type {
  CallRequest, LineMode, LineRef, LiveQueueView, OverflowHop, QueueDecision, QueueOverflowReason,
  RejectDecision, RouteDecision, SubcenterDecision,
} from './types.js';

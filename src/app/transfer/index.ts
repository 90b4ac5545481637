export { TransferService, type TransferServiceDeps, type TransferView } from './service.js';
export { TransferError, type TransferErrorCode } from './errors.js';
export { TransferCounters, type TransferCount } from './counters.js';
export type {
  CallLegs, DialOutcome, DialRequest, TransferCalls, TransferControl, TransferableCall, TransferLegSink,
  TransferMetricOutcome, TransferMetrics, WorkOrder, WorkOrderSink,
} from './ports.js';
export { AnyNodeTransfers, type AnyNodeTransfersDeps } from './any-node.js';

export { MetricsCollector, type CollectorDeps, type FactsListener } from './collector.js';
export { RecentDayRecords } from './day-records.js';
export type { DayRecords, LiveAcd, MetricsLog } from './ports.js';
export { HEARTBEAT_INTERVAL_MS, PUSH_INTERVAL_MS, SnapshotPublisher, type StreamListener, type StreamMessage } from './publisher.js';
export { buildSnapshot } from './snapshot.js';
export * from './stats-model.js';

export { FileReportStore } from './file-report-store.js';
export { STANDARD_WAIT_BUCKETS, createPromMetrics, waitBuckets, type PromMetrics } from './prometheus.js';
export { registerOutboxMetrics, type OutboxMetricsSource } from './outbox-metrics.js';

export { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './backoff.js';
export {
  OutboxWorker, IDEMPOTENCY_HEADER, SEQ_HEADER, TOPIC_HEADER,
  type DeliveryPost, type DeliveryResult, type DeliveryTarget, type OutboxDb, type OutboxTotals, type OutboxWorkerOptions, type WorkerCounters,
} from './worker.js';
export { DurableWorkOrderSink, WORK_ORDER_TOPIC, workOrderItem, type DurableWorkOrderOptions } from './durable-work-orders.js';
export {
  departmentFeedItems, departmentFeeds, departmentOfTopic, departmentTopic,
  type DepartmentFeed, type DepartmentFeeds, type DepartmentRecordBody,
} from './department-feed.js';

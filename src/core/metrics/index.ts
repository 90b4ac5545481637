export { factsOf, type CallFacts, type QueueMove, type TransferFact } from './call-facts.js';
export { DayAggregate, type DayKpis, type LineKpis, type QueueKpis } from './day-aggregate.js';
export { FORMULAS, LINE_SERVICE_LEVEL_SECONDS, rate } from './definitions.js';
export type { CallCounts, HourlyPoint, KpiSet, Rate, TransferCount, WaitStats } from './kpi-types.js';
export { LabelVocabulary, OTHER, NONE } from './labels.js';
export { metricsScope, type LineKind, type MetricsScope } from './scope.js';
export { Tally } from './tally.js';
export { HISTOGRAM_MAX_SECONDS, WaitHistogram } from './wait-histogram.js';

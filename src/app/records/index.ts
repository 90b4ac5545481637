export { MemoryCallRecordSink, type CallRecordSink, type CallRecord, type CallOutcome, type QueueHop, type SurveyResult } from './record-sink.js';

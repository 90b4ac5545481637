/**
 * What the metrics read from the rest of the application: the ACD's live read models, and the
 * finished calls of a local day (MemoryCallRecordSink satisfies DayRecords).
 */
import type { AgentView, QueueView, WaitingCallView } from '../acd/acd-model.js';
import type { CallRecord } from '../records/index.js';

export interface LiveAcd {
  queues(): Promise<QueueView[]>;
  agents(): Promise<AgentView[]>;
  waitingCalls(): Promise<WaitingCallView[]>;
}

export interface DayRecords {
  /** Records of calls that arrived on a local date (YYYY-MM-DD in the hotline's time zone). */
  byDay(date: string): readonly CallRecord[] | Promise<readonly CallRecord[]>;
}

export interface MetricsLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The records database's tables as Kysely sees them. Times are epoch milliseconds (bigint
 * columns; the PostgreSQL pool parses int8 to number, see dialect.ts). Flags are 0/1 integers so
 * both dialects read them the same way. Lists and nested objects a query never filters on are
 * JSON text.
 */
import type { Generated } from 'kysely';

export interface CallRecordsTable {
  /** from sequences.calls, taken by insertCalls with the counter row locked to commit: commit order */
  seq: number;
  call_sid: string;
  caller: string | null;
  /** 1 once retention replaced the caller number by its mask */
  caller_masked: number;
  dialed: string | null;
  line: string | null;
  mode: string | null;
  queue: string | null;
  agent_id: string | null;
  arrived_at: number;
  queued_at: number | null;
  answered_at: number | null;
  ended_at: number;
  outcome: string;
  wait_seconds: number | null;
  wait_from_arrival_seconds: number | null;
  survey: string | null;
  hangup_cause: string | null;
  node: string;
  switch: string | null;
  fs_uuid: string;
  hops: string;
  agents_tried: string;
  transfers: string | null;
  rejected: string | null;
  error: string | null;
  /** the capacity mark a shed call had reached (schema v2) */
  shed: string | null;
  /** 1: a demo-mode call, not real traffic (schema v2) */
  demo: number;
}

export interface AgentStateLogTable {
  /** insertion order, breaks ties between events of the same millisecond */
  seq: Generated<number>;
  id: string;
  agent_id: string;
  at: number;
  status: string;
  reason: string | null;
  call_id: string | null;
  node: string;
}

export interface OutboxTable {
  id: string;
  topic: string;
  /** per topic, from outbox_topics.last_seq: never reused, even after a purge */
  seq: number;
  body: string;
  created_at: number;
  state: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  delivered_at: number | null;
  last_error: string | null;
}

export interface OutboxTopicsTable {
  topic: string;
  last_seq: number;
}

export interface SequencesTable {
  name: string;
  last: number;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  result: string;
  detail: string | null;
}

export interface DailyReportsTable {
  date: string;
  report: string;
}

export interface SchemaVersionTable {
  version: number;
  applied_at: number;
}

export interface RecordsTables {
  call_records: CallRecordsTable;
  agent_state_log: AgentStateLogTable;
  outbox: OutboxTable;
  outbox_topics: OutboxTopicsTable;
  sequences: SequencesTable;
  audit_log: AuditLogTable;
  daily_reports: DailyReportsTable;
  schema_version: SchemaVersionTable;
}

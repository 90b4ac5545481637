/**
 * The records database: what people read later (call records, the agent state log, the durable
 * outbox for work orders and department feeds, the audit log, daily reports). Two adapters
 * (src/adapters/records/): an embedded file (the default, one node) and PostgreSQL (several
 * nodes share it). One contract suite runs over both (test/contract/records/).
 *
 * Times are epoch milliseconds. Every write is idempotent on its natural key, so a buffer that
 * retries after a timeout never doubles a row.
 */
import type { CallRecord } from '../../core/call/index.js';

/** A finished call as stored: the record plus where it was handled. */
export interface StoredCall {
  readonly record: CallRecord;
  /** the router node that held the call's socket */
  readonly node: string;
  /** the FreeSWITCH node (its ESL host), when known */
  readonly switch?: string;
}

/**
 * Rows come back with the sequence the database gave them: commit order, so a follower of
 * callsAfter never sees a lower seq appear after a higher one (gap-free, except where a retry
 * raced its original insert of the same call).
 */
export interface CallRow extends StoredCall {
  readonly seq: number;
}

export interface CallQuery {
  readonly from?: number;
  readonly to?: number;
  readonly lines?: readonly string[];
  readonly queue?: string;
  readonly agentId?: string;
  readonly outcome?: string;
  /** exact caller number (the route checks who may search by it) */
  readonly caller?: string;
}

export interface Page<T> {
  readonly rows: readonly T[];
  /** opaque cursor for the next page; null at the end */
  readonly next: string | null;
}

export type AgentLogStatus = 'logged-out' | 'ready' | 'reserved' | 'ringing' | 'on-call' | 'wrap-up' | 'not-ready';

export interface AgentStateEvent {
  /** unique per event (idempotency) */
  readonly id: string;
  readonly agentId: string;
  readonly at: number;
  readonly status: AgentLogStatus;
  readonly reason?: string;
  readonly callId?: string;
  readonly node: string;
}

/**
 * One message to deliver over HTTP. `topic` orders deliveries: within a topic, an item is sent
 * only after every earlier one (by `seq`) is delivered or dead. Work orders use topic
 * `work-orders`; a department's record feed `dept:<departmentId>`.
 */
export interface OutboxItem {
  /** idempotency key the receiver can use; unique */
  readonly id: string;
  readonly topic: string;
  readonly body: string;
  readonly createdAt: number;
}

export interface OutboxRow extends OutboxItem {
  /** per-topic order (and the replay cursor) */
  readonly seq: number;
  readonly attempts: number;
  readonly state: 'pending' | 'delivered' | 'dead';
  readonly nextAttemptAt: number;
  readonly deliveredAt: number | null;
  readonly lastError: string | null;
}

export interface AuditEntry {
  readonly id: string;
  readonly at: number;
  /** token name / role that acted */
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly target: string | null;
  /** HTTP status or 'ok' / an error code */
  readonly result: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface RetentionPolicy {
  /** days to keep each kind; undefined = forever */
  readonly callRecordsDays?: number;
  /** after this many days the caller number is replaced by its mask */
  readonly callerNumberDays?: number;
  readonly agentLogDays?: number;
  readonly auditDays?: number;
  readonly reportsDays?: number;
  readonly outboxDays?: number;
}

export interface PurgeCounts {
  readonly callRecords: number;
  readonly callerNumbersMasked: number;
  readonly agentLog: number;
  readonly audit: number;
  readonly reports: number;
  readonly outbox: number;
}

export interface RecordsDb {
  /** 'embedded' | 'postgres', for health and logs */
  readonly kind: string;

  /**
   * Idempotent on callSid (a second insert of the same call is ignored). `feed` (department
   * deliveries of these records) is enqueued in the same transaction: a record and its feed
   * items are both stored or neither is.
   */
  insertCalls(calls: readonly StoredCall[], feed?: readonly OutboxItem[]): Promise<void>;
  /** Rows with seq > afterSeq, oldest first, at most `limit`: the tail every node follows for shared figures. */
  callsAfter(afterSeq: number, limit: number): Promise<readonly CallRow[]>;
  /** Calls that arrived in [from, to), oldest first (today's figures, the daily report). */
  callsArrivedBetween(from: number, to: number): Promise<readonly CallRecord[]>;
  /** Newest first (by seq); arrival in [from, to). A cursor from another query or build: InvalidCursorError. */
  queryCalls(query: CallQuery, limit: number, cursor?: string): Promise<Page<CallRow>>;
  findCall(callSid: string): Promise<CallRow | null>;

  /** Idempotent on id. */
  appendAgentEvents(events: readonly AgentStateEvent[]): Promise<void>;
  /** Events with from <= at < to (plus, per agent, the last one before `from`, so a day starts in a known state). */
  agentEvents(from: number, to: number, agentId?: string): Promise<readonly AgentStateEvent[]>;

  /** Idempotent on id; seq is assigned per topic in insertion order. */
  enqueueOutbox(items: readonly OutboxItem[]): Promise<void>;
  /**
   * Leases due items for `leaseMs` to this node: at most one per topic (the lowest-seq pending
   * one, when it is due), so a topic is delivered in order by one node at a time.
   * An item under an unexpired lease (this node's included) is not handed out again: after a
   * crash its topic waits for the lease to run out.
   */
  claimOutbox(node: string, now: number, leaseMs: number, limit: number): Promise<readonly OutboxRow[]>;
  markDelivered(id: string, at: number): Promise<void>;
  /** A failed attempt: attempts+1, retried at nextAttemptAt; `dead` when given up. */
  markFailed(id: string, error: string, nextAttemptAt: number, dead: boolean): Promise<void>;
  /** Replay: a topic's items with seq > afterSeq, whatever their state. */
  outboxAfter(topic: string, afterSeq: number, limit: number): Promise<readonly OutboxRow[]>;
  outboxCounts(): Promise<{ readonly pending: number; readonly delivered: number; readonly dead: number }>;

  /** Idempotent on id. */
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  /** Entries with from <= at < to, newest first (at, then id). */
  queryAudit(from: number, to: number, limit: number, cursor?: string): Promise<Page<AuditEntry>>;

  /** Keyed by local date; a second put replaces. */
  putReport(date: string, report: unknown): Promise<void>;
  /** null when no report was stored for that date. */
  getReport(date: string): Promise<unknown>;

  /** Deletes / masks what the policy says is too old at `now`; `mask` turns a caller number into what is kept. */
  purge(policy: RetentionPolicy, now: number, mask: (caller: string) => string): Promise<PurgeCounts>;

  /** The schema version the database is at (migrations run when the adapter opens). */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/** The database's schema is newer than this code knows: refuse to start rather than misread it. */
export class SchemaTooNewError extends Error {
  readonly code = 'HOTLINE_ERR_SCHEMA_TOO_NEW';
  constructor(readonly found: number, readonly known: number) {
    super(`records database is at schema version ${found}, this build knows up to ${known}: upgrade the router`);
    this.name = 'SchemaTooNewError';
  }
}

/** A page cursor this database did not hand out (or a damaged one): the caller's mistake, a 400. */
export class InvalidCursorError extends Error {
  readonly code = 'HOTLINE_ERR_BAD_CURSOR';
  constructor() {
    super('cursor is not one this API handed out for this query');
    this.name = 'InvalidCursorError';
  }
}

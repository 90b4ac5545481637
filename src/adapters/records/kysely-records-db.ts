/** RecordsDb over Kysely: one implementation for both dialects, each concern in its own module. */
import type {
  AgentStateEvent, AuditEntry, CallQuery, CallRow, OutboxItem, OutboxRow, Page, PurgeCounts, RecordsDb,
  RetentionPolicy, StoredCall,
} from '../../app/records/records-db.js';
import type { CallRecord } from '../../core/call/index.js';
import * as agentLog from './agent-log.js';
import * as audit from './audit.js';
import * as calls from './calls.js';
import type { RecordsDialect } from './dialect.js';
import { currentVersion } from './migrations.js';
import * as outbox from './outbox.js';
import { purge } from './purge.js';
import * as reports from './reports.js';
import type { RecordsKysely } from './write-tx.js';

export class KyselyRecordsDb implements RecordsDb {
  readonly kind: string;

  constructor(private readonly db: RecordsKysely, private readonly dialect: RecordsDialect) {
    this.kind = dialect.kind;
  }

  insertCalls(list: readonly StoredCall[], feed?: readonly OutboxItem[]): Promise<void> {
    return calls.insertCalls(this.db, this.dialect, list, feed);
  }
  callsAfter(afterSeq: number, limit: number): Promise<readonly CallRow[]> {
    return calls.callsAfter(this.db, afterSeq, limit);
  }
  callsArrivedBetween(from: number, to: number): Promise<readonly CallRecord[]> {
    return calls.callsArrivedBetween(this.db, from, to);
  }
  queryCalls(query: CallQuery, limit: number, cursor?: string): Promise<Page<CallRow>> {
    return calls.queryCalls(this.db, query, limit, cursor);
  }
  findCall(callSid: string): Promise<CallRow | null> {
    return calls.findCall(this.db, callSid);
  }

  appendAgentEvents(events: readonly AgentStateEvent[]): Promise<void> {
    return agentLog.appendAgentEvents(this.db, events);
  }
  agentEvents(from: number, to: number, agentId?: string): Promise<readonly AgentStateEvent[]> {
    return agentLog.agentEvents(this.db, from, to, agentId);
  }

  enqueueOutbox(items: readonly OutboxItem[]): Promise<void> {
    return outbox.enqueueOutbox(this.db, this.dialect, items);
  }
  claimOutbox(node: string, now: number, leaseMs: number, limit: number): Promise<readonly OutboxRow[]> {
    return outbox.claimOutbox(this.db, node, now, leaseMs, limit);
  }
  markDelivered(id: string, at: number): Promise<void> {
    return outbox.markDelivered(this.db, id, at);
  }
  markFailed(id: string, error: string, nextAttemptAt: number, dead: boolean): Promise<void> {
    return outbox.markFailed(this.db, id, error, nextAttemptAt, dead);
  }
  outboxAfter(topic: string, afterSeq: number, limit: number): Promise<readonly OutboxRow[]> {
    return outbox.outboxAfter(this.db, topic, afterSeq, limit);
  }
  outboxCounts(): Promise<{ readonly pending: number; readonly delivered: number; readonly dead: number }> {
    return outbox.outboxCounts(this.db);
  }

  appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    return audit.appendAudit(this.db, entries);
  }
  queryAudit(from: number, to: number, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
    return audit.queryAudit(this.db, from, to, limit, cursor);
  }

  putReport(date: string, report: unknown): Promise<void> {
    return reports.putReport(this.db, date, report);
  }
  getReport(date: string): Promise<unknown> {
    return reports.getReport(this.db, date);
  }

  purge(policy: RetentionPolicy, now: number, mask: (caller: string) => string): Promise<PurgeCounts> {
    return purge(this.db, this.dialect, policy, now, mask);
  }

  schemaVersion(): Promise<number> {
    return currentVersion(this.db);
  }
  close(): Promise<void> {
    return this.db.destroy();
  }
}

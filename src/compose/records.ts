/**
 * The records database and what writes to it, for the composition root: DATABASE_URL →
 * PostgreSQL (with a local journal for records not yet stored there), else the embedded file.
 * Opened and migrated before anything serves; closed after the last write had its chance.
 */
import { Gauge, type Registry as PromRegistry } from 'prom-client';
import type { HealthComponent } from '../adapters/http/app.js';
import type { AuditSink } from '../adapters/http/auth/index.js';
import { FileRecordJournal } from '../adapters/journal/file-journal.js';
import { FileReportStore } from '../adapters/metrics/index.js';
import { openRecordsDb } from '../adapters/records/index.js';
import type { AcdEvent } from '../app/acd/acd-model.js';
import { AgentLogWriter, AuditWriter } from '../app/records/activity-writers.js';
import { RecordWriter } from '../app/records/record-writer.js';
import type { OutboxItem, RecordsDb, StoredCall } from '../app/records/records-db.js';
import type { CallRecord } from '../core/call/index.js';
import { DatabaseReportStore, type ReportStore } from '../app/reports/index.js';
import type { DailyReport } from '../app/metrics/index.js';
import type { Timers } from '../app/timers.js';
import type { Clock } from '../core/ports.js';
import type { Logger } from '../lib/logger.js';
import type { Settings } from '../settings/settings.js';

export interface RecordsWiring {
  readonly db: RecordsDb;
  readonly writer: RecordWriter;
  readonly agentLog: AgentLogWriter;
  readonly audit: AuditSink;
  /** reports kept in the database; those written as files before it still served */
  readonly reportStore: ReportStore;
  readonly health: HealthComponent;
  /** called after each batch of call records the database accepted */
  onStored(listener: (calls: readonly StoredCall[]) => void): void;
  onAcdEvent(e: AcdEvent): void;
  /** hotline_records_pending / hotline_records_dropped on this node's /metrics */
  registerMetrics(registry: PromRegistry): void;
  /** Writes what is left (up to `graceMs`), then closes the database. */
  close(graceMs: number): Promise<void>;
}

/** The database first; a date it has no report for, from the files of before. */
class FallbackReportStore implements ReportStore {
  constructor(private readonly primary: ReportStore, private readonly legacy: ReportStore) {}
  put(report: DailyReport): Promise<void> {
    return this.primary.put(report);
  }
  async get(date: string): Promise<DailyReport | null> {
    return (await this.primary.get(date)) ?? this.legacy.get(date);
  }
}

export interface OpenRecordsDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly node: string;
  readonly logger: Logger;
  /** department feed items stored with each record (compose/outbox.ts feedForRegistry) */
  readonly feed?: (record: CallRecord) => readonly OutboxItem[];
}

export async function openRecords(settings: Settings, deps: OpenRecordsDeps): Promise<RecordsWiring> {
  const log = deps.logger.child({ component: 'records' });
  const db = await openRecordsDb({
    ...(settings.databaseUrl === undefined ? {} : { databaseUrl: settings.databaseUrl }), file: settings.recordsFile, logger: log,
  });
  // Embedded: the insert is a local commit a few ms after the call ends; a journal would be a
  // second local write of the same thing. PostgreSQL may be away for minutes: journal first.
  const journal = db.kind === 'postgres' ? new FileRecordJournal(settings.recordsJournal) : undefined;
  const stored = new Set<(calls: readonly StoredCall[]) => void>();
  const writer = new RecordWriter({
    db, node: deps.node, clock: deps.clock, timers: deps.timers, log, ...(journal === undefined ? {} : { journal }),
    ...(deps.feed === undefined ? {} : { feed: deps.feed }),
    onStored: (calls) => { for (const l of stored) l(calls); },
  });
  const run = deps.clock.now().toString(36);
  const activity = { clock: deps.clock, timers: deps.timers, node: deps.node, run, log };
  const agentLog = new AgentLogWriter(db, activity);
  const audit = new AuditWriter(db, activity);
  const recovered = await writer.recover();
  if (recovered > 0) log.info({ recovered }, 'call records from the journal written again');

  return {
    db, writer, agentLog, audit,
    reportStore: new FallbackReportStore(new DatabaseReportStore(db), new FileReportStore(settings.reportsDir)),
    health: {
      name: 'records',
      // Degraded, not down: calls go on and records wait in the buffer (and the journal).
      check: () => {
        const s = writer.stats;
        return s.failing > 0
          ? { state: 'degraded', detail: `${db.kind} unreachable, ${s.pending} records waiting` }
          : { state: 'ok', detail: `${db.kind}${s.pending > 0 ? `, ${s.pending} records waiting` : ''}` };
      },
    },
    onStored: (l) => { stored.add(l); },
    onAcdEvent: (e) => { agentLog.onAcdEvent(e); },
    registerMetrics(registry) {
      const buffers = { calls: writer, agent_events: agentLog, audit };
      new Gauge({
        name: 'hotline_records_pending', help: 'Rows waiting for the records database on this node, by kind', labelNames: ['kind'], registers: [registry],
        collect() { for (const [kind, b] of Object.entries(buffers)) this.set({ kind }, b.stats.pending); },
      });
      new Gauge({
        name: 'hotline_records_dropped', help: 'Rows dropped since start on this node because the buffer was full (call records stay in the journal with PostgreSQL)', labelNames: ['kind'], registers: [registry],
        collect() { for (const [kind, b] of Object.entries(buffers)) this.set({ kind }, b.stats.dropped); },
      });
    },
    async close(graceMs) {
      const deadline = deps.clock.now() + graceMs;
      const left = await writer.close(deadline);
      const [agents, audits] = await Promise.all([agentLog.close(deadline), audit.close(deadline)]);
      if (left + agents + audits > 0) log.error({ calls: left, agentEvents: agents, audit: audits, journal: journal !== undefined }, 'records not written at shutdown');
      await db.close();
    },
  };
}

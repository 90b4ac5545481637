/**
 * The metrics feature in one piece, for the composition root:
 *
 *   const metrics = createMetrics({ registry, clock, timers, acd, reportStore, log, shared });
 *   records sink  → metrics.wrapSink(writer)   (or add metrics.sink beside it)
 *   ACD events    → an observer of the AcdService (AcdObservers.add(metrics))
 *   transfers     → the TransferService's metrics port: metrics.transferMetrics
 *   HTTP          → buildApp({ ..., plugins: [..., ...metrics.plugins] })
 *   await metrics.start() after the ACD starts, before listening; await metrics.stop() on shutdown.
 *
 * Two ways to feed today's figures:
 *  - `shared` (the router): from the records database's tail, so every node shows the same
 *    figures for the whole center; reports are computed from and kept in the database. This
 *    node's own records still move its Prometheus counters (per node: sum across instances).
 *  - without it (tests, benches): from the records added to `sink`, reports from the last two
 *    days kept in memory.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry as PromRegistry } from 'prom-client';
import type { Registry } from '../config/schema.js';
import type { Clock } from '../core/ports.js';
import { LabelVocabulary, factsOf, metricsScope, type MetricsScope } from '../core/metrics/index.js';
import type { AcdEvent } from '../app/acd/acd-model.js';
import type { CallRecord, CallRecordSink } from '../app/records/index.js';
import type { RecordsDb } from '../app/records/records-db.js';
import type { Timers } from '../app/timers.js';
import {
  MetricsCollector, RecentDayRecords, SnapshotPublisher, buildSnapshot,
  type DayRecords, type LiveAcd, type MetricsLog, type StatsSnapshot,
} from '../app/metrics/index.js';
import { RecordsTail } from '../app/metrics/records-tail.js';
import {
  DailyReportJob, DatabaseDayRecords, DatabaseReportStore, MemoryReportStore, type ReportStore, type Scheduler,
} from '../app/reports/index.js';
import { cronScheduler } from '../adapters/scheduler/cron-scheduler.js';
import { metricsRoutes } from '../adapters/http/routes/metrics.js';
import { reportRoutes } from '../adapters/http/routes/reports.js';
import { statsRoutes, type StreamLimits } from '../adapters/http/routes/stats.js';
import { createPromMetrics } from '../adapters/metrics/prometheus.js';
import { registerDayMetrics } from '../adapters/metrics/day-metrics.js';

export interface MetricsDeps {
  readonly registry: Registry;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly acd: LiveAcd;
  /** default: in memory (lost on restart); FileReportStore for data/reports/YYYY-MM-DD.json */
  readonly reportStore?: ReportStore;
  /** where the daily job reads a day's records; default: the last two local days kept here */
  readonly records?: DayRecords;
  /** default: node-cron; tests pass a fake or none */
  readonly scheduler?: Scheduler | null;
  readonly log?: MetricsLog;
  /** process_* / nodejs_* metrics on /metrics (default true) */
  readonly processMetrics?: boolean;
  /** figures and reports from the records database (every node's calls); see the header */
  readonly shared?: {
    readonly db: Pick<RecordsDb, 'callsAfter' | 'callsArrivedBetween' | 'putReport' | 'getReport'>;
    readonly pollMs?: number;
  };
  /** /api/stream bounds (SSE_MAX_CLIENTS, SSE_MAX_BACKLOG_BYTES); defaults when absent */
  readonly stream?: StreamLimits;
}

export interface Metrics {
  /** add every finished call's record here (or use wrapSink) */
  readonly sink: CallRecordSink;
  /** the database tail behind today's figures (shared mode); poke it after a local write */
  readonly tail: RecordsTail | undefined;
  /** a sink that feeds the metrics, then `inner` */
  wrapSink(inner: CallRecordSink): CallRecordSink;
  /** pass as the TransferService's TransferMetrics port (hotline_transfers_total{target,outcome}) */
  readonly transferMetrics: { count(target: string, kind: string, outcome: string): void };
  /** an AcdObserver: add it to the AcdService's observers */
  readonly onAcdEvent: (event: AcdEvent) => void;
  readonly plugins: readonly ((app: FastifyInstance) => Promise<void>)[];
  readonly prometheus: PromRegistry;
  readonly collector: MetricsCollector;
  readonly publisher: SnapshotPublisher;
  readonly reports: DailyReportJob;
  readonly reportStore: ReportStore;
  readonly scope: MetricsScope;
  snapshot(): Promise<StatsSnapshot>;
  /** Arms the rollover and the report schedule; in shared mode rebuilds today from the database first. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createMetrics(deps: MetricsDeps): Metrics {
  const scope = metricsScope(deps.registry);
  const collector = new MetricsCollector({ scope, clock: deps.clock, timers: deps.timers });
  const shared = deps.shared;
  const own = deps.records === undefined && shared === undefined ? new RecentDayRecords(collector.zone) : undefined;
  const records: DayRecords = shared !== undefined ? new DatabaseDayRecords(shared.db, collector.zone) : deps.records ?? own ?? { byDay: () => [] };
  const tail = shared === undefined ? undefined : new RecordsTail({
    source: shared.db, collector, clock: deps.clock, timers: deps.timers,
    ...(shared.pollMs === undefined ? {} : { pollMs: shared.pollMs }), ...(deps.log ? { log: deps.log } : {}),
  });
  const prom = createPromMetrics({
    scope, labels: new LabelVocabulary(deps.registry), acd: deps.acd,
    ...(deps.processMetrics === undefined ? {} : { processMetrics: deps.processMetrics }),
  });
  registerDayMetrics(prom.registry, () => collector.todayAggregate().kpis());
  // Shared: the collector sees every node's rows, Prometheus only this node's (the sink below).
  if (shared === undefined) {
    collector.onFacts((facts, record) => {
      prom.observe(facts, record.line);
      own?.add(record);
    });
  }
  const snapshot = () => buildSnapshot(collector, deps.acd, deps.clock);
  const publisher = new SnapshotPublisher({ snapshot, clock: deps.clock, timers: deps.timers, ...(deps.log ? { log: deps.log } : {}) });
  const reportStore = deps.reportStore ?? (shared !== undefined ? new DatabaseReportStore(shared.db) : new MemoryReportStore());
  const reports = new DailyReportJob({ scope, clock: deps.clock, records, store: reportStore, ...(deps.log ? { log: deps.log } : {}) });
  const scheduler = deps.scheduler === undefined ? cronScheduler : deps.scheduler;
  let unschedule: (() => void) | undefined;

  const sink: CallRecordSink = shared === undefined
    ? { add: (r: CallRecord) => { guarded(deps.log, () => { collector.add(r); }); } }
    : { add: (r: CallRecord) => { guarded(deps.log, () => { prom.observe(factsOf(r), r.line); }); } };
  return {
    sink, tail,
    wrapSink: (inner) => ({ add: (r) => { sink.add(r); inner.add(r); } }),
    onAcdEvent: (e) => { collector.onAcdEvent(e); },
    transferMetrics: { count: (target, _kind, outcome) => { guarded(deps.log, () => { prom.countTransfer(target, outcome); }); } },
    plugins: [
      metricsRoutes(prom.registry),
      statsRoutes({ snapshot, subscribe: (l) => publisher.subscribe(l) }, deps.stream),
      reportRoutes(reportStore),
    ],
    prometheus: prom.registry,
    collector, publisher, reports, reportStore, scope, snapshot,
    async start() {
      collector.start();
      await tail?.start();
      if (scheduler !== null && unschedule === undefined) unschedule = reports.schedule(scheduler);
    },
    stop() {
      unschedule?.();
      unschedule = undefined;
      tail?.stop();
      publisher.stop();
      collector.stop();
      return Promise.resolve();
    },
  };
}

/** A metrics fault must never break the call that produced the record. */
function guarded(log: MetricsLog | undefined, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    log?.error({ err }, 'metrics failed to count a call record');
  }
}

/**
 * The metrics feature in one piece, for the composition root:
 *
 *   const metrics = createMetrics({ registry, clock, timers, acd, reportStore, log });
 *   records sink  → metrics.wrapSink(memorySink)   (or add metrics.sink beside it)
 *   ACD events    → new AcdService({ ..., onEvent: metrics.onAcdEvent })
 *   transfers     → the TransferService's metrics port: metrics.transferMetrics
 *   HTTP          → buildApp({ ..., plugins: [..., ...metrics.plugins] })
 *   metrics.start() after the ACD starts; await metrics.stop() on shutdown.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry as PromRegistry } from 'prom-client';
import type { Registry } from '../../config/schema.js';
import type { Clock } from '../../core/ports.js';
import { LabelVocabulary, metricsScope, type MetricsScope } from '../../core/metrics/index.js';
import type { AcdEvent } from '../../app/acd/acd-model.js';
import type { CallRecord, CallRecordSink } from '../../app/records/index.js';
import type { Timers } from '../../app/timers.js';
import {
  MetricsCollector, RecentDayRecords, SnapshotPublisher, buildSnapshot,
  type DayRecords, type LiveAcd, type MetricsLog, type StatsSnapshot,
} from '../../app/metrics/index.js';
import { DailyReportJob, MemoryReportStore, type ReportStore, type Scheduler } from '../../app/reports/index.js';
import { cronScheduler } from '../scheduler/cron-scheduler.js';
import { metricsRoutes } from '../http/routes/metrics.js';
import { reportRoutes } from '../http/routes/reports.js';
import { statsRoutes } from '../http/routes/stats.js';
import { createPromMetrics } from './prometheus.js';

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
}

export interface Metrics {
  /** add every finished call's record here (or use wrapSink) */
  readonly sink: CallRecordSink;
  /** a sink that feeds the metrics, then `inner` */
  wrapSink(inner: CallRecordSink): CallRecordSink;
  /** pass as the TransferService's TransferMetrics port (hotline_transfers_total{target,outcome}) */
  readonly transferMetrics: { count(target: string, kind: string, outcome: string): void };
  /** pass as AcdService's onEvent */
  readonly onAcdEvent: (event: AcdEvent) => void;
  readonly plugins: readonly ((app: FastifyInstance) => Promise<void>)[];
  readonly prometheus: PromRegistry;
  readonly collector: MetricsCollector;
  readonly publisher: SnapshotPublisher;
  readonly reports: DailyReportJob;
  readonly reportStore: ReportStore;
  readonly scope: MetricsScope;
  snapshot(): Promise<StatsSnapshot>;
  start(): void;
  stop(): Promise<void>;
}

export function createMetrics(deps: MetricsDeps): Metrics {
  const scope = metricsScope(deps.registry);
  const collector = new MetricsCollector({ scope, clock: deps.clock, timers: deps.timers });
  const own = deps.records === undefined ? new RecentDayRecords(collector.zone) : undefined;
  const records: DayRecords = deps.records ?? own ?? { byDay: () => [] };
  const prom = createPromMetrics({
    scope, labels: new LabelVocabulary(deps.registry), acd: deps.acd,
    ...(deps.processMetrics === undefined ? {} : { processMetrics: deps.processMetrics }),
  });
  collector.onFacts((facts, record) => {
    prom.observe(facts, record.line);
    own?.add(record);
  });
  const snapshot = () => buildSnapshot(collector, deps.acd, deps.clock);
  const publisher = new SnapshotPublisher({ snapshot, clock: deps.clock, timers: deps.timers, ...(deps.log ? { log: deps.log } : {}) });
  const reportStore = deps.reportStore ?? new MemoryReportStore();
  const reports = new DailyReportJob({ scope, clock: deps.clock, records, store: reportStore, ...(deps.log ? { log: deps.log } : {}) });
  const scheduler = deps.scheduler === undefined ? cronScheduler : deps.scheduler;
  let unschedule: (() => void) | undefined;

  const sink: CallRecordSink = { add: (r: CallRecord) => { guarded(deps.log, () => { collector.add(r); }); } };
  return {
    sink,
    wrapSink: (inner) => ({ add: (r) => { sink.add(r); inner.add(r); } }),
    onAcdEvent: (e) => { collector.onAcdEvent(e); },
    transferMetrics: { count: (target, _kind, outcome) => { guarded(deps.log, () => { prom.countTransfer(target, outcome); }); } },
    plugins: [
      metricsRoutes(prom.registry),
      statsRoutes({ snapshot, subscribe: (l) => publisher.subscribe(l) }),
      reportRoutes(reportStore),
    ],
    prometheus: prom.registry,
    collector, publisher, reports, reportStore, scope, snapshot,
    start() {
      collector.start();
      if (scheduler !== null && unschedule === undefined) unschedule = reports.schedule(scheduler);
    },
    stop() {
      unschedule?.();
      unschedule = undefined;
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

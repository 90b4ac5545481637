/**
 * The durable outbox wired over the records database: work orders (WORK_ORDER_URL) and
 * department record feeds (registry `departments.<id>.webhook`) delivered by this node's worker,
 * the feed replay route, outbox health and Prometheus counts, and the daily retention purge
 * (registry `retention`). router.ts builds it once the records database is open:
 *
 *   const outbox = await wireOutbox({ db, registry, env, workOrders, node, clock, timers, logger, prometheus });
 *   // transfers: workOrderSink: outbox.workOrders; record writer: insertCalls(calls, calls.flatMap((c) => outbox.feedFor(c.record)))
 *   outbox.start(); … await outbox.stop();
 */
import type { FastifyInstance } from 'fastify';
import type { Registry as PromRegistry } from 'prom-client';
import type { HealthComponent } from '../adapters/http/app.js';
import { departmentFeedRoutes } from '../adapters/http/routes/department-feed.js';
import { registerOutboxMetrics } from '../adapters/metrics/outbox-metrics.js';
import { cronScheduler } from '../adapters/scheduler/cron-scheduler.js';
import { departmentTargets, postSigned, type PostTarget, type ReadSecretFile, type WorkOrderSettings } from '../adapters/webhook/index.js';
import {
  DurableWorkOrderSink, OutboxWorker, WORK_ORDER_TOPIC, departmentFeedItems, departmentFeeds, departmentOfTopic,
  type DeliveryPost, type RetryPolicy,
} from '../app/outbox/index.js';
import type { OutboxItem, RecordsDb, RetentionPolicy } from '../app/records/records-db.js';
import type { Scheduler } from '../app/reports/index.js';
import { PurgeJob, hasRetention } from '../app/retention/purge-job.js';
import type { Timers } from '../app/timers.js';
import type { WorkOrderSink } from '../app/transfer/index.js';
import type { CallRecord } from '../core/call/index.js';
import type { Registry } from '../config/schema.js';
import type { Clock } from '../core/ports.js';
import type { Logger } from '../lib/logger.js';
import { maskNumber } from '../lib/mask.js';

export const WORK_ORDER_TIMEOUT_MS = 5_000;

/** What the outbox needs of the records database. */
export type OutboxRecordsDb = Pick<RecordsDb, 'enqueueOutbox' | 'claimOutbox' | 'markDelivered' | 'markFailed' | 'outboxAfter' | 'outboxCounts' | 'purge'>;

export interface OutboxWiringDeps {
  readonly db: OutboxRecordsDb;
  readonly registry: Registry;
  /** where department webhook secrets named by `secretEnv` are read */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly workOrders: WorkOrderSettings | undefined;
  /** this router node's name (outbox leases) */
  readonly node: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly prometheus?: PromRegistry;
  /** null: no daily purge scheduled (tests run it by hand); default node-cron */
  readonly scheduler?: Scheduler | null;
  /** test seams */
  readonly post?: DeliveryPost;
  /** Bytes of a receiver's answer read (WEBHOOK_MAX_RESPONSE_BYTES); default DEFAULT_MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
  readonly readSecretFile?: ReadSecretFile;
  readonly worker?: { readonly retry?: RetryPolicy; readonly pollMs?: number; readonly leaseMs?: number; readonly random?: () => number };
}

export interface OutboxWiring {
  /** for the transfers (undefined without WORK_ORDER_URL: work orders are only logged, as before) */
  readonly workOrders: { readonly sink: WorkOrderSink; health(): ReturnType<HealthComponent['check']> } | undefined;
  /** The feed items of a finished call, for RecordsDb.insertCalls(calls, feed) — stored with the record. */
  feedFor(record: CallRecord): OutboxItem[];
  /** items were stored: deliver now rather than at the next poll */
  kick(): void;
  readonly plugin: (app: FastifyInstance) => Promise<void>;
  readonly health: readonly HealthComponent[];
  readonly worker: OutboxWorker;
  readonly purge: PurgeJob | undefined;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The department feed items of a finished call, for the record writer: pass the result to
 * RecordsDb.insertCalls(calls, calls.flatMap((c) => feedFor(c.record))). Pure and deterministic
 * (same record → same ids), so a replayed journal or a retried batch stores no duplicate.
 */
export function feedForRegistry(registry: Registry): (record: CallRecord) => OutboxItem[] {
  const feeds = departmentFeeds(registry);
  return (record) => departmentFeedItems(record, feeds);
}

export function retentionPolicy(registry: Registry): RetentionPolicy {
  const { purgeAt: _at, ...days } = registry.retention ?? {};
  return days;
}

export async function wireOutbox(deps: OutboxWiringDeps): Promise<OutboxWiring> {
  const log = deps.logger.child({ component: 'outbox' });
  const departments = await departmentTargets(deps.registry, deps.env, deps.readSecretFile);
  const workOrderTarget: PostTarget | undefined = deps.workOrders === undefined ? undefined : { ...deps.workOrders, timeoutMs: WORK_ORDER_TIMEOUT_MS };
  const targetOf = (topic: string): PostTarget | undefined => {
    if (topic === WORK_ORDER_TOPIC) return workOrderTarget;
    const department = departmentOfTopic(topic);
    return department === undefined ? undefined : departments.get(department);
  };
  const timeouts = [workOrderTarget, ...departments.values()].map((t) => t?.timeoutMs ?? 0);
  const maxTimeoutMs = Math.max(0, ...timeouts);
  const post: DeliveryPost = deps.post ?? ((target, body, headers) =>
    postSigned(deps.maxResponseBytes === undefined ? target : { ...target, maxResponseBytes: deps.maxResponseBytes }, body, () => deps.clock.now(), headers));
  const worker = new OutboxWorker({
    db: deps.db, node: deps.node, targetOf, post, clock: deps.clock, timers: deps.timers, log, maxTimeoutMs,
    leaseMs: deps.worker?.leaseMs ?? Math.max(60_000, 3 * maxTimeoutMs),
    ...(deps.worker?.retry ? { retry: deps.worker.retry } : {}),
    ...(deps.worker?.pollMs !== undefined ? { pollMs: deps.worker.pollMs } : {}),
    ...(deps.worker?.random ? { random: deps.worker.random } : {}),
  });
  const sink = workOrderTarget === undefined ? undefined : new DurableWorkOrderSink({
    db: deps.db, clock: deps.clock, timers: deps.timers, log: deps.logger, onStored: () => { worker.kick(); },
  });
  const policy = retentionPolicy(deps.registry);
  const purge = hasRetention(policy) ? new PurgeJob({
    db: deps.db, policy, clock: deps.clock, mask: maskNumber, log: deps.logger.child({ component: 'retention' }),
    timeZone: deps.registry.hotline.timeZone, ...(deps.registry.retention?.purgeAt ? { at: deps.registry.retention.purgeAt } : {}),
  }) : undefined;
  if (deps.prometheus !== undefined) registerOutboxMetrics(deps.prometheus, { counters: worker.counters, totals: () => deps.db.outboxCounts() });
  let unschedule: (() => void) | undefined;

  return {
    workOrders: sink === undefined ? undefined : {
      sink,
      health() {
        const waiting = sink.buffered > 0 || sink.dropped > 0 ? `${sink.buffered} waiting for the records database, ${sink.dropped} dropped; ` : '';
        const w = worker.health();
        return { state: waiting === '' ? w.state : 'degraded', detail: `${waiting}outbox: ${w.detail}` };
      },
    },
    feedFor: feedForRegistry(deps.registry),
    kick: () => { worker.kick(); },
    plugin: departmentFeedRoutes(deps.db, new Set(departments.keys())),
    health: [{ name: 'outbox', check: () => worker.health() }],
    worker,
    purge,
    start() {
      worker.start();
      const scheduler = deps.scheduler === undefined ? cronScheduler : deps.scheduler;
      if (purge !== undefined && scheduler !== null && unschedule === undefined) unschedule = purge.schedule(scheduler);
    },
    async stop() {
      unschedule?.();
      unschedule = undefined;
      await sink?.close();
      await worker.stop();
    },
  };
}

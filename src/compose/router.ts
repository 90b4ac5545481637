/**
 * Builds the whole router from settings and a registry: state store → records database → ACD →
 * metrics (today rebuilt from the database) → call sessions → FreeSWITCH link → HTTP. Returns
 * what main needs to listen and to stop, nothing else.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type HealthComponent } from '../adapters/http/app.js';
import { registerHealthMetrics } from '../adapters/metrics/health-metrics.js';
import { agentRoutes } from '../adapters/http/routes/agents.js';
import { callRoutes } from '../adapters/http/routes/calls.js';
import { dryRunRoutes } from '../adapters/http/routes/dry-run.js';
import { queueRoutes } from '../adapters/http/routes/queues.js';
import { NodeTimers } from '../adapters/timers/index.js';
import { AcdService } from '../app/acd/acd-service.js';
import { AcdObservers } from '../app/acd/acd-observer.js';
import { createMetrics } from './metrics.js';
import { recordsRoutes } from '../adapters/http/routes/records.js';
import { CallManager, type SessionDeps } from '../app/call/index.js';
import { MemoryCallRecordSink, type CallRecord } from '../app/records/index.js';
import type { Registry } from '../config/schema.js';
import type { Clock } from '../core/ports.js';
import { callIds } from './call-ids.js';
import { zoneOf } from '../core/schedule/index.js';
import type { Logger } from '../lib/logger.js';
import type { AccessSettings } from '../settings/access.js';
import type { Settings } from '../settings/settings.js';
import { accessControl, type AccessControl } from '../adapters/http/auth/index.js';
import { throttledErrorLog } from '../lib/error-throttle.js';
import { Closers, type CloseResult } from './closers.js';
import { boardPlugin } from '../adapters/http/board/board-plugin.js';
import type { WorkOrderSettings } from '../adapters/webhook/index.js';
import { wireCapacity } from './capacity.js';
import { linkFreeswitch } from './freeswitch.js';
import { everyNode, registerLinkMetrics } from './freeswitch-links.js';
import { demoRecords, startDemo, type DemoSwitch } from './demo.js';
import { feedForRegistry, wireOutbox } from './outbox.js';
import { openRecords, type RecordsWiring } from './records.js';
import { newNodeId, openStateStore } from './state-store.js';
import { trackLiveCalls, wireTransfers, type TransferWiring } from './transfers.js';
import { currentPrompts, currentRegistry, wireRegistryReload } from './registry-reload.js';
import type { ReloadActor, ReloadResult } from '../app/registry/registry-reload.js';

export interface Router {
  readonly app: FastifyInstance;
  /** Set when no HOTLINE_TOKENS_FILE is configured: an admin token made for this run only. */
  readonly generatedAdminToken: string | undefined;
  readonly calls: CallManager;
  /**
   * Stop taking calls, let the ones in progress finish (up to drainSeconds), then close
   * everything — every step, even after one fails, within a bound. What could not be closed in
   * time is in the result: the process should exit anyway.
   */
  stop(): Promise<CloseResult>;
  /** Close everything without draining (a start that failed after buildRouter, e.g. the HTTP port taken). */
  close(): Promise<CloseResult>;
  /** Re-read the registry file and apply it, or refuse it and keep the running one (SIGHUP, the reload API). */
  reloadRegistry(by: ReloadActor): Promise<ReloadResult>;
  /** Puts the tokens file's current content in force (./tokens-reload.ts wires it to SIGHUP). */
  reloadTokens: AccessControl['reloadTokens'];
}

/** After the drain: how long closing may take, in all and per step. */
const CLOSE_BOUNDS = { deadlineMs: 10_000, stepMs: 5_000 } as const;
/** At stop, how long records still waiting for the database may take to be written (within a close step). */
const RECORDS_CLOSE_GRACE_MS = 4_000;

export interface RouterOptions {
  /** a simulated switch with synthetic callers and agents instead of FreeSWITCH (./demo.ts) */
  readonly demo?: boolean;
  /** sha256 of the registry file as loaded (the version reloads compare against) */
  readonly registrySha256?: string;
}

export async function buildRouter(
  settings: Settings, access: AccessSettings, registry: Registry, logger: Logger,
  workOrders: WorkOrderSettings | undefined, options: RouterOptions = {},
): Promise<Router> {
  // Refuse to start on a bad tokens file before anything listens. The audit sink exists once the database is open.
  const auditTo: { sink: RecordsWiring['audit'] | undefined } = { sink: undefined };
  const accessControlled = await accessControl({
    settings: access, registry, logger, audit: { add: (e) => auditTo.sink?.add(e) },
    lockout: { maxFailures: settings.authMaxFailures, windowMs: settings.authLockoutSeconds * 1000 },
  });
  // Everything opened from here on is pushed on `closers`: a start that fails half-way closes it.
  const closers = new Closers(logger, CLOSE_BOUNDS);
  try {
    return await openRouter({ settings, registry, logger, workOrders, accessControlled, closers, options, auditTo });
  } catch (err) {
    await closers.close();
    throw err;
  }
}

interface OpenDeps {
  readonly settings: Settings;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly workOrders: WorkOrderSettings | undefined;
  readonly accessControlled: Awaited<ReturnType<typeof accessControl>>;
  readonly closers: Closers;
  readonly options: RouterOptions;
  readonly auditTo: { sink: RecordsWiring['audit'] | undefined };
}

async function openRouter(deps: OpenDeps): Promise<Router> {
  const { settings, registry, logger, workOrders, accessControlled, closers, options, auditTo } = deps;
  const clock: Clock = { now: () => Date.now() };
  const timers = new NodeTimers(clock);
  const state = await openStateStore(settings, {
    onRedisError: throttledErrorLog(logger.child({ component: 'state' }), 'redis connection error'),
  });
  closers.push('state store', () => state.close());
  const node = state.cluster?.nodeId ?? newNodeId();
  const records = await openRecords(settings, { clock, timers, node, logger, feed: feedForRegistry(registry) });
  // Closed last (closers run newest first): after the HTTP API (its audit lines) and the calls (their records).
  closers.push('records', () => records.close(RECORDS_CLOSE_GRACE_MS));
  auditTo.sink = records.audit;
  // Who is told of each ACD step: the records' agent log now; the metrics (they read the ACD's
  // live views, so they are built after it) and the demo's desk once they exist.
  const acdLog = logger.child({ component: 'acd' });
  const acdObservers = new AcdObservers(acdLog, records);
  const acd = new AcdService({
    store: state.store, registry, clock, timers, log: acdLog, observer: acdObservers,
    ...(state.cluster === undefined ? {} : { cluster: state.cluster }),
  });
  // The last calls this node carried, for /api/calls/recent; the database has them all.
  const recent = new MemoryCallRecordSink(10_000, registry.hotline.timeZone);
  const metrics = createMetrics({
    registry, clock, timers, acd, reportStore: records.reportStore, shared: { db: records.db },
    log: logger.child({ component: 'metrics' }),
    stream: { maxClients: settings.sseMaxClients, maxBacklogBytes: settings.sseMaxBacklogBytes },
  });
  accessControlled.registerMetrics(metrics.prometheus);
  // Work orders and department feeds: a durable outbox in the records database, delivered by any node.
  const outbox = await wireOutbox({ db: records.db, registry, env: process.env, workOrders, node, clock, timers, logger, prometheus: metrics.prometheus, maxResponseBytes: settings.webhookMaxResponseBytes });
  closers.push('outbox', () => outbox.stop());
  // A batch with no feed item gave the outbox nothing to deliver: no claim pass (two queries) per call.
  records.onStored((calls) => {
    metrics.tail?.poke();
    if (calls.some((c) => outbox.feedFor(c.record).length > 0)) outbox.kick();
  });
  records.registerMetrics(metrics.prometheus);
  let demo: DemoSwitch | undefined;
  acdObservers.add(metrics);
  if (options.demo === true) metrics.prometheus.setDefaultLabels({ mode: 'demo' });
  closers.push('acd', () => acd.stop());
  await acd.start();
  closers.push('metrics', () => metrics.stop());
  // Today's figures are rebuilt from the database before the routes serve them.
  await metrics.start();
  const stored = { add: (r: CallRecord) => { records.writer.add(r); recent.add(r); } };
  const sink = metrics.wrapSink(options.demo === true ? demoRecords(stored) : stored);

  // The registry a new call reads; a reload swaps it whole (calls in progress keep theirs).
  const current = currentRegistry({ settings, registry, clock, logger, env: process.env, ...(options.registrySha256 === undefined ? {} : { sha256: options.registrySha256 }) });
  // The transfer service needs the calls and the inbound ESL; the calls' records need its legs.
  let transferLegs: TransferWiring['finish'] = () => [];
  // Calls in conversation go into the shared live-call directory (any node acts on any call).
  const live = trackLiveCalls({ acd, directory: state.liveCalls, nodeId: acd.nodeId, call: (id) => calls.get(id), logger });
  const capacity = wireCapacity(settings, clock, logger);
  const sessionDeps: SessionDeps = {
    gate: capacity.shedder,
    table: () => current.derived.table,
    // Read once by each call as it starts: the version current then is the call's for good.
    get policy() { return current.derived.policy; },
    ids: callIds(), logger,
    acd: live.acd, timers, clock, records: sink, prompts: currentPrompts(current),
    transferLegs: (callSid) => transferLegs(callSid),
  };
  const calls = new CallManager(sessionDeps);
  if (options.demo === true) {
    demo = startDemo({ registry, acd, calls, clock, timers, logger });
    acdObservers.add(demo);
  }
  const freeswitch = demo === undefined ? await linkFreeswitch(settings, calls, logger, registry.nodes) : { links: undefined, health: demo.health, close: () => demo.close() };
  capacity.attach(freeswitch.links, metrics.prometheus);
  if (freeswitch.links !== undefined) registerLinkMetrics(metrics.prometheus, freeswitch.links);
  closers.push('freeswitch', () => freeswitch.close());
  const wired = await wireTransfers({
    registry, inbound: freeswitch.links, calls, metrics: metrics.transferMetrics, workOrders, clock, logger,
    durableWorkOrders: outbox.workOrders,
    live: {
      directory: state.liveCalls, tracker: live.tracker, timers,
      ...(state.rpc === undefined || acd.nodeId === undefined ? {} : { cluster: { nodeId: acd.nodeId, transport: state.rpc, store: state.store, wrapUpEnds: (id, until) => { acd.endWrapUpAt(id, until); } } }),
    },
  });
  transferLegs = (callSid) => wired.finish(callSid);
  closers.push('transfers', () => wired.close());
  const reloads = wireRegistryReload({
    settings, registry, clock, logger, env: process.env, holder: current, acd, inbound: freeswitch.links === undefined ? undefined : everyNode(freeswitch.links),
    prometheus: metrics.prometheus, audit: (e) => { records.audit.add(e); },
  });
  await reloads.writeInitialDialplan();

  const health: HealthComponent[] = [
    reloads.health,
    state.health,
    records.health,
    ...outbox.health,
    ...freeswitch.health,
    ...wired.health,
    capacity.health,
    { name: 'calls', check: () => ({ state: calls.isDraining ? 'degraded' : 'ok', detail: `${calls.active} active${calls.isDraining ? ', draining' : ''}` }) },
  ];
  registerHealthMetrics(metrics.prometheus, health);
  const app = await buildApp({
    logger,
    bodyLimit: settings.httpBodyLimitBytes,
    health,
    plugins: [accessControlled.plugin, boardPlugin({ demo: options.demo === true }), dryRunRoutes(() => current.derived.table, () => clock.now()), agentRoutes(acd), queueRoutes(acd), callRoutes(recent), recordsRoutes(records.db, zoneOf(registry.hotline.timeZone), () => clock.now()), wired.plugin, outbox.plugin, reloads.plugin, ...metrics.plugins],
  });
  closers.push('http', () => app.close());

  outbox.start();
  capacity.start();
  closers.push('capacity', () => { capacity.close(); });
  return {
    app,
    calls,
    generatedAdminToken: accessControlled.generatedAdminToken,
    async stop() {
      try {
        const drained = await calls.drain(settings.drainSeconds * 1000);
        logger.info({ ...drained }, 'calls drained');
      } catch (err) {
        logger.error({ err }, 'drain failed; closing anyway');
      }
      return closers.close();
    },
    close: () => closers.close(),
    reloadRegistry: (by) => reloads.reload(by),
    reloadTokens: () => accessControlled.reloadTokens(),
  };
}

/**
 * Builds the whole router from settings and a registry: state store → records database → ACD →
 * metrics (today rebuilt from the database) → call sessions → FreeSWITCH link → HTTP. Returns
 * what main needs to listen and to stop, nothing else.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../adapters/http/app.js';
import { agentRoutes } from '../adapters/http/routes/agents.js';
import { callRoutes } from '../adapters/http/routes/calls.js';
import { dryRunRoutes } from '../adapters/http/routes/dry-run.js';
import { queueRoutes } from '../adapters/http/routes/queues.js';
import { NodeTimers } from '../adapters/timers/index.js';
import { AcdService } from '../app/acd/acd-service.js';
import type { AcdEvent } from '../app/acd/acd-model.js';
import { createMetrics } from './metrics.js';
import { recordsRoutes } from '../adapters/http/routes/records.js';
import { CallManager, FilePromptCatalog, callPolicy } from '../app/call/index.js';
import { MemoryCallRecordSink } from '../app/records/index.js';
import type { Registry } from '../config/schema.js';
import type { Clock, IdGen } from '../core/ports.js';
import { buildRoutingTable } from '../core/routing/index.js';
import { zoneOf } from '../core/schedule/index.js';
import type { Logger } from '../lib/logger.js';
import type { AccessSettings } from '../settings/access.js';
import type { Settings } from '../settings/settings.js';
import { accessControl } from '../adapters/http/auth/index.js';
import { boardPlugin } from '../adapters/http/board/board-plugin.js';
import type { WorkOrderSettings } from '../adapters/webhook/index.js';
import { linkFreeswitch } from './freeswitch.js';
import { openRecords, type RecordsWiring } from './records.js';
import { newNodeId, openStateStore } from './state-store.js';
import { wireTransfers, type TransferWiring } from './transfers.js';

export interface Router {
  readonly app: FastifyInstance;
  /** Set when no HOTLINE_TOKENS_FILE is configured: an admin token made for this run only. */
  readonly generatedAdminToken: string | undefined;
  readonly calls: CallManager;
  /** Stop taking calls, let the ones in progress finish (up to drainSeconds), then close everything. */
  stop(): Promise<void>;
}

/** At stop, how long records still waiting for the database may take to be written. */
const RECORDS_CLOSE_GRACE_MS = 5_000;

function idGen(): IdGen {
  let n = 0;
  const boot = Date.now().toString(36);
  return { next: (prefix) => `${prefix}-${boot}-${(n += 1).toString(36)}` };
}

export async function buildRouter(
  settings: Settings, access: AccessSettings, registry: Registry, logger: Logger,
  workOrders: WorkOrderSettings | undefined,
): Promise<Router> {
  // Refuse to start on a bad tokens file before anything listens. The audit sink exists once the database is open.
  const auditTo: { sink: RecordsWiring['audit'] | undefined } = { sink: undefined };
  const accessControlled = await accessControl({ settings: access, registry, logger, audit: { add: (e) => auditTo.sink?.add(e) } });
  const clock: Clock = { now: () => Date.now() };
  const timers = new NodeTimers(clock);
  const state = await openStateStore(settings);
  const node = state.cluster?.nodeId ?? newNodeId();
  const records = await openRecords(settings, { clock, timers, node, logger });
  auditTo.sink = records.audit;
  // The ACD reports to the metrics and the metrics read the ACD's live views: bound after both exist.
  let acdEvents: (event: AcdEvent) => void = () => undefined;
  const acd = new AcdService({
    store: state.store, registry, clock, timers, log: logger.child({ component: 'acd' }), onEvent: (e) => { acdEvents(e); records.onAcdEvent(e); },
    ...(state.cluster === undefined ? {} : { cluster: state.cluster }),
  });
  // The last calls this node carried, for /api/calls/recent; the database has them all.
  const recent = new MemoryCallRecordSink(10_000, registry.hotline.timeZone);
  const metrics = createMetrics({
    registry, clock, timers, acd, reportStore: records.reportStore, shared: { db: records.db },
    log: logger.child({ component: 'metrics' }),
  });
  records.onStored(() => metrics.tail?.poke());
  records.registerMetrics(metrics.prometheus);
  acdEvents = metrics.onAcdEvent;
  await acd.start();
  // Today's figures are rebuilt from the database before the routes serve them.
  await metrics.start();
  const sink = metrics.wrapSink({ add: (r) => { records.writer.add(r); recent.add(r); } });

  const table = buildRoutingTable(registry);
  // The transfer service needs the calls and the inbound ESL; the calls' records need its legs.
  let transferLegs: TransferWiring['finish'] = () => [];
  const calls = new CallManager({
    table: () => table, policy: callPolicy(registry), ids: idGen(), logger,
    acd, timers, clock, records: sink, prompts: new FilePromptCatalog(registry.prompts, settings.promptsDir),
    transferLegs: (callSid) => transferLegs(callSid),
  });
  const freeswitch = await linkFreeswitch(settings, calls, logger);
  const wired = wireTransfers({
    registry, inbound: freeswitch.inbound, calls, metrics: metrics.transferMetrics, workOrders, clock, logger,
  });
  transferLegs = (callSid) => wired.finish(callSid);

  const app = await buildApp({
    logger,
    health: [
      { name: 'registry', check: () => ({ state: 'ok', detail: `${registry.hotline.number} ${registry.hotline.region}` }) },
      state.health,
      records.health,
      ...freeswitch.health,
      ...wired.health,
      { name: 'calls', check: () => ({ state: calls.isDraining ? 'degraded' : 'ok', detail: `${calls.active} active${calls.isDraining ? ', draining' : ''}` }) },
    ],
    plugins: [accessControlled.plugin, boardPlugin(), dryRunRoutes(() => table, () => clock.now()), agentRoutes(acd), queueRoutes(acd), callRoutes(recent), recordsRoutes(records.db, zoneOf(registry.hotline.timeZone), () => clock.now()), wired.plugin, ...metrics.plugins],
  });

  return {
    app,
    calls,
    generatedAdminToken: accessControlled.generatedAdminToken,
    async stop() {
      const drained = await calls.drain(settings.drainSeconds * 1000);
      logger.info({ ...drained }, 'calls drained');
      wired.close();
      await freeswitch.close();
      await acd.stop();
      await metrics.stop();
      await state.close();
      await app.close();
      // After the HTTP API (its audit lines) and the calls (their records) are done.
      await records.close(RECORDS_CLOSE_GRACE_MS);
    },
  };
}

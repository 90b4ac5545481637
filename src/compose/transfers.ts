/**
 * Three-party transfers (README: Transfers) wired into live calls: the TransferService over the inbound
 * ESL connection (EslTransferControl, mod_conference profile `hotline`), the call sessions as its
 * TransferCalls, work orders to WORK_ORDER_URL (signed) or only to the log, outcomes into
 * hotline_transfers_total, agents' DTMF feature codes from the inbound DTMF events.
 *
 * Without an inbound ESL connection (no ESL_PASSWORD) there is nothing to transfer with: the
 * transfer routes exist and answer 503 HOTLINE_ERR_TRANSFERS_UNAVAILABLE.
 *
 * Several FreeSWITCH nodes (the registry's `nodes:`): each command goes over the inbound link of the
 * node that holds the call (NodeRoutedTransferControl); feature codes are read from every link.
 *
 * Several router nodes (REDIS_URL): the routes and feature codes work on any node (AnyNodeTransfers
 * forwards over the call RPC to the node holding the call), the at-most-once history is in Redis,
 * and every node reconciles agents left on the calls of a dead node with FreeSWITCH.
 */
import type { FastifyInstance } from 'fastify';
import type { FsEvent } from '../adapters/esl/codec/types.js';
import { EslChannelProbe } from '../adapters/esl/channel-probe.js';
import { EslTransferControl, type EslApiPort } from '../adapters/esl/transfer-control.js';
import { NodeRoutedTransferControl } from '../adapters/esl/node-transfer-control.js';
import type { CallOrigin } from '../core/fs-nodes/index.js';
import type { HealthComponent } from '../adapters/http/app.js';
import { transferRoutes, transfersUnavailable } from '../adapters/http/routes/transfers.js';
import { WorkOrderOutbox, type WorkOrderSettings } from '../adapters/webhook/index.js';
import { AnyNodeTransfers, TransferService, type TransferCalls, type TransferMetrics, type WorkOrderSink } from '../app/transfer/index.js';
import type { CallAcd } from '../app/acd/call-acd-port.js';
import { reconcileAgentCallsEvery } from '../app/cluster/agent-reconcile.js';
import { CallRpc, type RpcTransport } from '../app/cluster/call-rpc.js';
import { LiveCallTracker } from '../app/cluster/live-call-tracker.js';
import type { LiveCallDirectory, TransferHistory } from '../app/cluster/live-calls.js';
import type { Timers } from '../app/timers.js';
import type { AcdStore } from '../core/acd/store-port.js';
import type { Registry } from '../config/schema.js';
import type { Clock } from '../core/ports.js';
import { buildTransferDirectory } from '../core/transfer/index.js';
import type { Logger } from '../lib/logger.js';

export const TRANSFER_CONFERENCE_PROFILE = 'hotline';

export interface TransferWiring {
  /** The transfer routes (or their 503 stand-ins). */
  readonly plugin: (app: FastifyInstance) => Promise<void>;
  readonly health: readonly HealthComponent[];
  /** For the call records: the call's legs, and the service (and the live-call directory) forgets the call. */
  finish(callSid: string): ReturnType<TransferService['finish']>;
  close(): Promise<void>;
}

export interface TransferWiringDeps {
  readonly registry: Registry;
  /** The inbound ESL links, one per FreeSWITCH node (api, bgapi, events incl. DTMF); undefined without ESL_PASSWORD. */
  readonly inbound: InboundNodes | undefined;
  readonly calls: TransferCalls;
  readonly metrics: TransferMetrics;
  readonly workOrders: WorkOrderSettings | undefined;
  /** The durable outbox's work-order sink (compose/outbox.ts); without it, the in-memory outbox. */
  readonly durableWorkOrders?: { readonly sink: WorkOrderSink; health(): ReturnType<HealthComponent['check']> } | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly live: LiveCallWiring;
}

/** The inbound links (src/adapters/esl/node-links.ts EslNodeLinks), as the transfers use them. */
export interface InboundNodes {
  readonly links: readonly { readonly name: string; readonly client: EslApiPort }[];
  /** The node holding a call, by what its channel data says. */
  holding(call: CallOrigin): { readonly name: string } | undefined;
}

/** Where this node's calls are recorded for the others, and how the nodes reach each other. */
export interface LiveCallWiring {
  readonly directory: LiveCallDirectory & TransferHistory;
  readonly tracker: LiveCallTracker;
  readonly timers: Timers;
  /** Several nodes: this node's id, the call RPC's transport and the shared ACD store (for the reconciliation). */
  readonly cluster?: {
    readonly nodeId: string; readonly transport: RpcTransport; readonly store: AcdStore; readonly reconcileMs?: number;
    /** An agent the reconciliation put in wrap-up: end it at `until` on this node. */
    readonly wrapUpEnds?: (agentId: string, until: number) => void;
  };
}

/** The live-call directory kept by the ACD calls: hand `acd` to the CallManager instead of the ACD. */
export function trackLiveCalls(opts: {
  readonly acd: CallAcd;
  readonly directory: LiveCallDirectory & TransferHistory;
  readonly nodeId: string | undefined;
  readonly call: (callSid: string) => ReturnType<TransferCalls['get']>;
  readonly logger: Logger;
}): { readonly acd: CallAcd; readonly tracker: LiveCallTracker } {
  const tracker = new LiveCallTracker({ directory: opts.directory, nodeId: opts.nodeId ?? 'local', call: opts.call, logger: opts.logger });
  return { acd: tracker.wrap(opts.acd), tracker };
}

/** Default period of the agent reconciliation with FreeSWITCH on several nodes. */
export const RECONCILE_MS = 5_000;

/** Work orders only logged: no receiver is configured (WORK_ORDER_URL unset). */
function logOnlySink(logger: Logger): WorkOrderSink {
  const log = logger.child({ component: 'work-orders' });
  return { submit: (order) => { log.warn({ order }, 'work order not sent: WORK_ORDER_URL is not set'); } };
}

/** One reconciliation per FreeSWITCH node: each judges only the calls whose switchname is its node's. */
function reconcileEvery(deps: TransferWiringDeps, inbound: InboundNodes, store: AcdStore, periodMs: number): () => void {
  const { registry, clock, live } = deps;
  const stops = inbound.links.map((link) => reconcileAgentCallsEvery({
    store, directory: live.directory, probe: new EslChannelProbe(link.client), clock,
    logger: deps.logger.child({ component: 'agent-reconcile', ...(inbound.links.length > 1 ? { node: link.name } : {}) }),
    wrapUpSeconds: (q) => registry.queues[q]?.wrapUpSeconds ?? 0,
    ...(live.cluster?.wrapUpEnds === undefined ? {} : { wrapUpEnds: live.cluster.wrapUpEnds }),
  }, live.timers, periodMs));
  return () => { for (const stop of stops) stop(); };
}

/** One node: its control, as ever. Several: each call's commands to the control of the node holding it. */
function transferControl(inbound: InboundNodes, calls: TransferCalls): EslTransferControl | NodeRoutedTransferControl {
  const controls = new Map(inbound.links.map((l) => [l.name, new EslTransferControl(l.client, { profile: TRANSFER_CONFERENCE_PROFILE })]));
  const [only] = controls.values();
  if (controls.size === 1 && only !== undefined) return only;
  return new NodeRoutedTransferControl({
    nodes: [...controls.keys()],
    control: (node) => controls.get(node),
    nodeOf: (callSid) => {
      const call = calls.get(callSid);
      return call === undefined ? undefined : inbound.holding({ coreUuid: call.freeswitchCore, switchname: call.freeswitch })?.name;
    },
  });
}

export async function wireTransfers(deps: TransferWiringDeps): Promise<TransferWiring> {
  const { inbound, logger, live } = deps;
  if (inbound === undefined) {
    return {
      plugin: transferRoutes(transfersUnavailable()),
      health: [{ name: 'transfers', check: () => ({ state: 'disabled', detail: 'no inbound ESL (ESL_PASSWORD): transfers unavailable' }) }],
      finish: (callSid) => { live.tracker.forget(callSid); return []; },
      close: () => Promise.resolve(),
    };
  }
  const durable = deps.durableWorkOrders;
  const outbox = durable !== undefined || deps.workOrders === undefined ? undefined : new WorkOrderOutbox({ ...deps.workOrders, timeoutMs: 5_000, logger });
  const svc = new TransferService({
    directory: buildTransferDirectory(deps.registry),
    control: transferControl(inbound, deps.calls),
    calls: deps.calls, workOrders: durable?.sink ?? outbox ?? logOnlySink(logger), metrics: deps.metrics, clock: deps.clock, logger,
    history: live.directory,
  });
  const c = live.cluster;
  const rpc = c === undefined ? undefined : new CallRpc({ nodeId: c.nodeId, transport: c.transport, clock: deps.clock, timers: live.timers, logger });
  const api = new AnyNodeTransfers({ local: svc, calls: deps.calls, logger, ...(rpc === undefined ? {} : { cluster: { directory: live.directory, rpc } }) });
  await rpc?.start(api.serve);
  const stopReconcile = c === undefined ? () => undefined : reconcileEvery(deps, inbound, c.store, c.reconcileMs ?? RECONCILE_MS);
  const onEvent = (e: FsEvent): void => {
    if (e.name !== 'DTMF') return;
    const uuid = e.headers['Unique-ID'];
    const digit = e.headers['DTMF-Digit'];
    // One key per FreeSWITCH event: the same digit heard by several nodes is acted on once.
    const seq = e.headers['Event-Sequence'];
    const key = seq === undefined ? undefined : `${e.headers['Core-UUID'] ?? ''}:${seq}`;
    if (uuid !== undefined && digit !== undefined) api.dtmf(uuid, digit, key);
  };
  for (const l of inbound.links) l.client.on('event', onEvent);
  return {
    plugin: transferRoutes(api),
    health: [{
      name: 'work-orders',
      check: () => durable?.health() ?? outbox?.health() ?? { state: 'disabled', detail: 'no WORK_ORDER_URL: work orders are only logged' },
    }],
    finish: (callSid) => {
      live.tracker.forget(callSid);
      return svc.finish(callSid);
    },
    async close() {
      stopReconcile();
      for (const l of inbound.links) l.client.off('event', onEvent);
      svc.close();
      outbox?.close();
      await rpc?.close();
    },
  };
}

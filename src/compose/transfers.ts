/**
 * Three-party transfers (DESIGN §5) wired into live calls: the TransferService over the inbound
 * ESL connection (EslTransferControl, mod_conference profile `hotline`), the call sessions as its
 * TransferCalls, work orders to WORK_ORDER_URL (signed) or only to the log, outcomes into
 * hotline_transfers_total, agents' DTMF feature codes from the inbound DTMF events.
 *
 * Without an inbound ESL connection (no ESL_PASSWORD) there is nothing to transfer with: the
 * transfer routes exist and answer 503 HOTLINE_ERR_TRANSFERS_UNAVAILABLE.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FsEvent } from '../adapters/esl/codec/types.js';
import { EslTransferControl, type EslApiPort } from '../adapters/esl/transfer-control.js';
import type { HealthComponent } from '../adapters/http/app.js';
import type { RouteAccess } from '../adapters/http/auth/index.js';
import { transferRoutes } from '../adapters/http/routes/transfers.js';
import { WorkOrderOutbox, type WorkOrderSettings } from '../adapters/webhook/index.js';
import { TransferService, type TransferCalls, type TransferMetrics, type WorkOrderSink } from '../app/transfer/index.js';
import type { Registry } from '../config/schema.js';
import type { Clock } from '../core/ports.js';
import { buildTransferDirectory } from '../core/transfer/index.js';
import type { Logger } from '../lib/logger.js';

export const TRANSFER_CONFERENCE_PROFILE = 'hotline';

export interface TransferWiring {
  /** The transfer routes (or their 503 stand-ins). */
  readonly plugin: (app: FastifyInstance) => Promise<void>;
  readonly health: readonly HealthComponent[];
  /** For the call records: the call's legs, and the service forgets the call. */
  finish(callSid: string): ReturnType<TransferService['finish']>;
  close(): void;
}

export interface TransferWiringDeps {
  readonly registry: Registry;
  /** The inbound ESL client (api, bgapi, events incl. DTMF); undefined without ESL_PASSWORD. */
  readonly inbound: EslApiPort | undefined;
  readonly calls: TransferCalls;
  readonly metrics: TransferMetrics;
  readonly workOrders: WorkOrderSettings | undefined;
  /** The durable outbox's work-order sink (compose/outbox.ts); without it, the in-memory outbox. */
  readonly durableWorkOrders?: { readonly sink: WorkOrderSink; health(): ReturnType<HealthComponent['check']> } | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Work orders only logged: no receiver is configured (WORK_ORDER_URL unset). */
function logOnlySink(logger: Logger): WorkOrderSink {
  const log = logger.child({ component: 'work-orders' });
  return { submit: (order) => { log.warn({ order }, 'work order not sent: WORK_ORDER_URL is not set'); } };
}

export function wireTransfers(deps: TransferWiringDeps): TransferWiring {
  const { inbound, logger } = deps;
  if (inbound === undefined) {
    return {
      plugin: unavailableTransferRoutes,
      health: [{ name: 'transfers', check: () => ({ state: 'disabled', detail: 'no inbound ESL (ESL_PASSWORD): transfers unavailable' }) }],
      finish: () => [],
      close: () => undefined,
    };
  }
  const durable = deps.durableWorkOrders;
  const outbox = durable !== undefined || deps.workOrders === undefined ? undefined : new WorkOrderOutbox({ ...deps.workOrders, timeoutMs: 5_000, logger });
  const svc = new TransferService({
    directory: buildTransferDirectory(deps.registry),
    control: new EslTransferControl(inbound, { profile: TRANSFER_CONFERENCE_PROFILE }),
    calls: deps.calls, workOrders: durable?.sink ?? outbox ?? logOnlySink(logger), metrics: deps.metrics, clock: deps.clock, logger,
  });
  const onEvent = (e: FsEvent): void => {
    if (e.name !== 'DTMF') return;
    const uuid = e.headers['Unique-ID'];
    const digit = e.headers['DTMF-Digit'];
    if (uuid !== undefined && digit !== undefined) svc.agentDtmf(uuid, digit);
  };
  inbound.on('event', onEvent);
  return {
    plugin: transferRoutes(svc),
    health: [{
      name: 'work-orders',
      check: () => durable?.health() ?? outbox?.health() ?? { state: 'disabled', detail: 'no WORK_ORDER_URL: work orders are only logged' },
    }],
    finish: (callSid) => svc.finish(callSid),
    close() {
      inbound.off('event', onEvent);
      svc.close();
      outbox?.close();
    },
  };
}

const ACCESS: RouteAccess = { roles: ['admin', 'supervisor', 'agent'] };

// eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
async function unavailableTransferRoutes(app: FastifyInstance): Promise<void> {
  const unavailable = (_req: unknown, reply: FastifyReply): FastifyReply => reply.code(503).send({
    statusCode: 503, code: 'HOTLINE_ERR_TRANSFERS_UNAVAILABLE', error: 'Service Unavailable',
    message: 'transfers need the inbound ESL connection to FreeSWITCH (set ESL_PASSWORD)',
  });
  const config = { config: { access: ACCESS } };
  app.get('/api/transfer-targets', config, unavailable);
  app.get('/api/calls/:callSid/transfer', config, unavailable);
  for (const path of ['', '/three-way', '/complete', '/cancel']) app.post(`/api/calls/:callSid/transfer${path}`, config, unavailable);
}

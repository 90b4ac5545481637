/**
 * The router's single HTTP surface (API, health, later metrics and the wall board), built
 * without listen() so tests drive it with inject().
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../../lib/logger.js';
import { clientErrorHandler, installErrorContract, sendError } from './errors/index.js';
import { refuseNonFiniteNumbers } from './finite-numbers.js';
import { openApiPlugin, openApiRoute } from './openapi.js';
import { healthResponse } from './schemas.js';
import { tightenFormats } from './schema-formats.js';

export type ComponentState = 'ok' | 'degraded' | 'down' | 'disabled';

export interface HealthComponent {
  readonly name: string;
  check(): { state: ComponentState; detail?: string };
}

export interface HttpTimeouts {
  /** a handler that has not answered by then gets 503 HOTLINE_ERR_TIMEOUT (the event stream is exempt) */
  readonly handlerMs: number;
  /** a request not fully received by then gets 408 HOTLINE_ERR_REQUEST_TIMEOUT (checked every requestMs / 2, at most 30 s) */
  readonly requestMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = Object.freeze({ handlerMs: 30_000, requestMs: 60_000 });

export interface AppDeps {
  logger: Logger;
  health: readonly HealthComponent[];
  plugins?: readonly ((app: FastifyInstance) => Promise<void>)[];
  timeouts?: HttpTimeouts;
  /** Largest request body (HTTP_BODY_LIMIT_BYTES); fastify's default 1 MiB when absent. */
  bodyLimit?: number;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const timeouts = deps.timeouts ?? DEFAULT_HTTP_TIMEOUTS;
  const app = Fastify({
    // The cast keeps the instance's default generics (pino's Logger is a FastifyBaseLogger); without
    // it every route and plugin type would carry pino's Logger type parameter.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Per-request lines would drown the per-call logs; errors are logged by the error contract.
    logController: new LogController({ disableRequestLogging: true }),
    // Unique across nodes and restarts, so a client quoting x-request-id finds its log lines.
    ...(deps.bodyLimit === undefined ? {} : { bodyLimit: deps.bodyLimit }),
    genReqId: () => randomUUID(),
    handlerTimeout: timeouts.handlerMs,
    requestTimeout: timeouts.requestMs,
    // Node refuses a headersTimeout above requestTimeout, and checks both every 30 s by default.
    http: { headersTimeout: Math.min(60_000, timeouts.requestMs), connectionsCheckingInterval: Math.min(30_000, Math.ceil(timeouts.requestMs / 2)) },
    clientErrorHandler: clientErrorHandler(deps.logger),
    frameworkErrors: (err, request, reply) => { void sendError(err, request, reply); },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true }, onCreate: tightenFormats },
  });
  installErrorContract(app);
  // Response schemas document the answers (and the tests hold the answers to them); they must not
  // reshape them: fast-json-stringify would silently drop a field a schema forgot.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  refuseNonFiniteNumbers(app);
  await app.register(openApiPlugin());

  app.get('/health', { config: { access: { roles: 'public' } }, schema: { response: { 200: healthResponse, 503: healthResponse } } }, async (_req, reply) => {
    const components = Object.fromEntries(deps.health.map((c) => [c.name, c.check()]));
    const states = Object.values(components).map((c) => c.state);
    // Degraded (a node shedding new calls, a store reconnecting…) still serves: 200, so a
    // supervisor does not restart a node that is only busy; down is 503.
    const status = states.includes('down') ? 'down' : states.includes('degraded') ? 'degraded' : 'ok';
    return reply.code(status === 'down' ? 503 : 200).send({ status, components });
  });

  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  app.get('/api/openapi.json', openApiRoute, () => app.swagger());
  return app;
}

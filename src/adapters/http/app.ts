/**
 * The router's single HTTP surface (API, health, later metrics and the wall board), built
 * without listen() so tests drive it with inject().
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../../lib/logger.js';

export type ComponentState = 'ok' | 'degraded' | 'down' | 'disabled';

export interface HealthComponent {
  readonly name: string;
  check(): { state: ComponentState; detail?: string };
}

export interface AppDeps {
  logger: Logger;
  health: readonly HealthComponent[];
  plugins?: readonly ((app: FastifyInstance) => Promise<void>)[];
  /** Largest request body (HTTP_BODY_LIMIT_BYTES); fastify's default 1 MiB when absent. */
  bodyLimit?: number;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // The cast keeps the instance's default generics (pino's Logger is a FastifyBaseLogger); without
    // it every route and plugin type would carry pino's Logger type parameter.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Per-request lines would drown the per-call logs; failures are still logged by fastify.
    logController: new LogController({ disableRequestLogging: true }),
    ...(deps.bodyLimit === undefined ? {} : { bodyLimit: deps.bodyLimit }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  });

  app.get('/health', async (_req, reply) => {
    const components = Object.fromEntries(deps.health.map((c) => [c.name, c.check()]));
    const down = Object.values(components).some((c) => c.state === 'down');
    return reply.code(down ? 503 : 200).send({ status: down ? 'down' : 'ok', components });
  });

  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  return app;
}

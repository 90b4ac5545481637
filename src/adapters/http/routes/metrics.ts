/** GET /metrics: the Prometheus exposition of the metrics' own registry. */
import type { FastifyInstance } from 'fastify';
import type { Registry as PromRegistry } from 'prom-client';
import type { RouteAccess } from '../auth/index.js';
import { textResponse } from '../schemas.js';

/** Scrapers present a token like any client; counts carry no personal data. */
const metricsAccess: RouteAccess = { roles: ['admin', 'supervisor'] };

export function metricsRoutes(registry: PromRegistry) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/metrics', { config: { access: metricsAccess }, schema: { response: { 200: textResponse('text/plain', 'the Prometheus text exposition') } } }, async (_req, reply) => {
      const body = await registry.metrics();
      return reply.header('content-type', registry.contentType).send(body);
    });
  };
}

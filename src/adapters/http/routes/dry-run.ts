import type { FastifyInstance } from 'fastify';
import { route, type RoutingTable } from '../../../core/routing/index.js';
import type { RouteAccess } from '../auth/index.js';
import { openObject } from '../schemas.js';

interface DryRunQuery { to: string; from?: string; at?: string }

/** Telecom engineers (admin tokens) and supervisors explaining a caller's path. */
const access: RouteAccess = { roles: ['admin', 'supervisor'] };

/** GET /api/route?to=…[&from=…][&at=ISO-8601]: the CLI dry-run over HTTP, for tooling. */
export function dryRunRoutes(table: () => RoutingTable, now: () => number) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: DryRunQuery }>('/api/route', {
      config: { access },
      schema: {
        querystring: {
          type: 'object',
          required: ['to'],
          additionalProperties: false,
          properties: {
            to: { type: 'string', minLength: 1, maxLength: 64 },
            from: { type: 'string', maxLength: 64 },
            at: { type: 'string', format: 'date-time' },
          },
        },
        response: {
          200: openObject({
            at: { type: 'string', format: 'date-time' },
            decision: openObject({
              kind: { type: 'string', enum: ['queue', 'subcenter', 'reject'] },
              explanation: { type: 'array', items: { type: 'string' } },
            }, ['kind', 'explanation']),
          }, ['at', 'decision']),
        },
      },
    }, (req, reply) => {
      const at = req.query.at === undefined ? now() : Date.parse(req.query.at);
      const call = req.query.from === undefined ? { to: req.query.to } : { to: req.query.to, from: req.query.from };
      return reply.send({ at: new Date(at).toISOString(), decision: route(call, table(), at) });
    });
  };
}

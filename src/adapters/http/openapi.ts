/**
 * The API described by its own route schemas (@fastify/swagger, OpenAPI 3), served to admins at
 * GET /api/openapi.json. Registered before the routes: it collects them as they are added.
 * Every route's error answers are the one error body (errors/), added here to each route.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { RouteAccess } from './auth/types.js';
import { anyObject, errorRef, errorSchema } from './schemas.js';

const admin: RouteAccess = { roles: ['admin'] };

export const openApiRoute = {
  config: { access: admin },
  schema: {
    summary: 'this document',
    response: { 200: { ...anyObject, required: ['openapi', 'paths'], properties: { openapi: { type: 'string' }, paths: anyObject } } },
  },
} as const;

/** Every route as registered, per app: what the OpenAPI test checks the document against. */
const routesOf = new WeakMap<FastifyInstance, RouteOptions[]>();

export function registeredRoutes(app: FastifyInstance): readonly RouteOptions[] {
  return routesOf.get(app) ?? [];
}

/** Every route may answer the error body, whatever else it declares. */
function withErrorResponses(route: RouteOptions): void {
  const schema = (route.schema ??= {});
  const response = (schema.response ??= {}) as Record<string, unknown>;
  response['4xx'] ??= errorRef;
  response['5xx'] ??= errorRef;
}

export function openApiPlugin(): (app: FastifyInstance) => Promise<void> {
  const plugin = async (app: FastifyInstance): Promise<void> => {
    app.addSchema(errorSchema);
    const routes: RouteOptions[] = [];
    routesOf.set(app, routes);
    app.addHook('onRoute', (route) => {
      withErrorResponses(route);
      routes.push(route);
    });
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'hotline-router', version: '1', description: 'the 12345 hotline router\'s HTTP API (README: HTTP API, Access)' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      },
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
      transform: ({ schema, url, route }) => {
        const access = route.config?.access;
        const isPublic = access?.roles === 'public' || url === '/health';
        const roles = access === undefined ? 'admin' : access.roles === 'public' ? 'public' : access.roles.join(', ');
        const description = [schema?.description, `Access: ${roles}.`].filter((s) => s !== undefined).join(' ');
        return { url, schema: { ...schema, description, ...(isPublic ? {} : { security: [{ bearer: [] }] }) } };
      },
    });
  };
  // What fastify-plugin does: the schema, the hook and swagger's route collection cover the whole app.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}

/**
 * The registry over HTTP:
 *   POST /api/registry/reload   (admin) re-read the registry file and apply it, or refuse it:
 *        200 { outcome: applied | unchanged, sha256, previousSha256, changes, warnings, steps }
 *        422 HOTLINE_ERR_REGISTRY_INVALID with `problems` (file, line, col, path, message, hint):
 *            nothing changed, the running registry is kept
 *   GET  /api/registry          (admin, supervisor) the version running here and whether the
 *        other nodes announced another one
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterView, ReloadActor, ReloadResult } from '../../../app/registry/registry-reload.js';
import type { RegistryVersion } from '../../../app/registry/current-registry.js';
import type { RouteAccess } from '../auth/index.js';

export interface RegistryApi {
  reload(by: ReloadActor): Promise<ReloadResult>;
  current(): RegistryVersion;
  cluster(): ClusterView;
  /** removed agents still finishing a call */
  retiringAgents(): readonly string[];
}

const adminOnly: RouteAccess = { roles: ['admin'] };
const readers: RouteAccess = { roles: ['admin', 'supervisor'] };

const problem = {
  type: 'object',
  required: ['file', 'line', 'col', 'path', 'message', 'severity'],
  properties: {
    file: { type: 'string' }, line: { type: 'integer' }, col: { type: 'integer' }, path: { type: 'string' },
    message: { type: 'string' }, hint: { type: 'string' }, severity: { type: 'string', enum: ['error', 'warning'] },
  },
} as const;
const ids = { type: 'array', items: { type: 'string' } } as const;
const idChanges = { type: 'object', properties: { added: ids, removed: ids, changed: ids } } as const;
const changes = {
  type: 'object',
  properties: { lines: idChanges, queues: idChanges, agents: idChanges, schedules: idChanges, calendars: idChanges, prompts: idChanges, needsRestart: ids },
} as const;
const step = { type: 'object', required: ['step', 'ok'], properties: { step: { type: 'string' }, ok: { type: 'boolean' }, detail: { type: 'string' } } } as const;

const reloaded = {
  type: 'object',
  required: ['outcome', 'previousSha256'],
  properties: {
    outcome: { type: 'string', enum: ['applied', 'unchanged'] }, sha256: { type: 'string' }, previousSha256: { type: 'string' },
    changes, warnings: { type: 'array', items: problem }, steps: { type: 'array', items: step },
  },
} as const;
const refused = {
  type: 'object',
  required: ['statusCode', 'code', 'error', 'message', 'problems'],
  properties: {
    statusCode: { type: 'integer' }, code: { type: 'string' }, error: { type: 'string' }, message: { type: 'string' },
    sha256: { type: 'string' }, problems: { type: 'array', items: problem },
  },
} as const;
const version = {
  type: 'object',
  required: ['sha256', 'appliedAt', 'inSync'],
  properties: {
    sha256: { type: 'string' }, appliedAt: { type: 'string' }, hotline: { type: 'string' }, region: { type: 'string' },
    inSync: { type: 'boolean' },
    announced: { type: 'object', properties: { sha256: { type: 'string' }, from: { type: 'string' } } },
    retiringAgents: ids,
  },
} as const;

export function registryRoutes(api: RegistryApi) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/registry/reload', { config: { access: adminOnly }, schema: { response: { 200: reloaded, 422: refused } } }, async (req, reply) => {
      const p = req.principal;
      const result = await api.reload({ actor: p?.name ?? 'unknown', role: p?.role ?? 'unknown' });
      if (result.outcome === 'invalid') {
        const errors = (result.problems ?? []).filter((x) => x.severity === 'error');
        const first = errors[0];
        return reply.code(422).send({
          statusCode: 422, code: 'HOTLINE_ERR_REGISTRY_INVALID', error: 'Unprocessable Entity',
          message: `the registry file has ${errors.length} error(s)${first === undefined ? '' : `, first at ${first.line}:${first.col} ${first.path}: ${first.message}`}; the running registry is kept`,
          ...(result.sha256 === undefined ? {} : { sha256: result.sha256 }), problems: result.problems ?? [],
        });
      }
      return reply.send(result);
    });

    app.get('/api/registry', { config: { access: readers }, schema: { response: { 200: version } } }, async (_req, reply) => {
      const v = api.current();
      const c = api.cluster();
      return reply.send({
        sha256: v.sha256, appliedAt: new Date(v.appliedAt).toISOString(), hotline: v.registry.hotline.number, region: v.registry.hotline.region,
        inSync: c.inSync, ...(c.announced === undefined ? {} : { announced: c.announced }), retiringAgents: api.retiringAgents(),
      });
    });
  };
}

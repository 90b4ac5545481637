/**
 * GET /api/departments/:id/feed?after=<seq>&limit=<n>: replay of a department's record feed from
 * a cursor — every item the webhook was (or will be) sent, whatever its delivery state, oldest
 * first, with its seq. A department that was down reads from the last seq it stored until `next`
 * is null. Admin, or that department's own token; another department's token gets the same 404
 * as an unknown department (it learns nothing about others), agents and supervisors 403.
 */
import type { FastifyInstance } from 'fastify';
import type { RecordsDb } from '../../../app/records/records-db.js';
import { departmentTopic, type DepartmentRecordBody } from '../../../app/outbox/index.js';
import { principalOf, type RouteAccess } from '../auth/index.js';
import { HttpError } from '../errors/index.js';
import { anyObject, openObject } from '../schemas.js';

const access: RouteAccess = { roles: ['admin', 'department'], scope: 'department' };
const MAX_LIMIT = 1000;

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 100 },
  },
} as const;

const params = {
  type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
const feedPage = openObject({
  department: { type: 'string' },
  items: {
    type: 'array',
    items: openObject({
      seq: { type: 'integer' }, id: { type: 'string' }, createdAt: { type: 'number' }, state: { type: 'string', enum: ['pending', 'delivered', 'dead'] },
      deliveredAt: { type: ['number', 'null'] }, record: anyObject,
    }, ['seq', 'id', 'createdAt', 'state', 'deliveredAt', 'record']),
  },
  next: { type: ['integer', 'null'], description: 'the seq to read after, or null at the end' },
}, ['department', 'items', 'next']);

export interface FeedItem {
  readonly seq: number;
  readonly id: string;
  readonly createdAt: number;
  readonly state: 'pending' | 'delivered' | 'dead';
  readonly deliveredAt: number | null;
  readonly record: DepartmentRecordBody['record'];
}

function notFound(id: string): HttpError {
  return new HttpError(404, 'HOTLINE_ERR_DEPARTMENT_NOT_FOUND', `no record feed for department "${id}"`);
}

/** `departments`: those with a feed (a webhook in the registry). */
export function departmentFeedRoutes(db: Pick<RecordsDb, 'outboxAfter'>, departments: ReadonlySet<string>) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Params: { id: string }; Querystring: { after: number; limit: number } }>('/api/departments/:id/feed', {
      config: { access },
      schema: { params, querystring: querySchema, response: { 200: feedPage } },
    }, async (req) => {
      const { id } = req.params;
      const p = principalOf(req);
      if (p?.role === 'department' && p.department !== id) throw notFound(id);
      if (!departments.has(id)) throw notFound(id);
      let rows;
      try {
        rows = await db.outboxAfter(departmentTopic(id), req.query.after, req.query.limit);
      } catch (err) {
        // Logged with its cause by the error contract, as every 5xx.
        throw new HttpError(503, 'HOTLINE_ERR_RECORDS_UNAVAILABLE', 'the records database is unreachable; try again', {}, { cause: err });
      }
      const items: FeedItem[] = rows.map((r) => ({
        seq: r.seq, id: r.id, createdAt: r.createdAt, state: r.state, deliveredAt: r.deliveredAt,
        record: (JSON.parse(r.body) as DepartmentRecordBody).record,
      }));
      const last = items.at(-1);
      return { department: id, items, next: items.length === req.query.limit && last !== undefined ? last.seq : null };
    });
  };
}

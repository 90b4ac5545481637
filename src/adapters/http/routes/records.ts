/**
 * Call records from the records database, for people: a supervisor after a complaint, a
 * department checking its own lines, a manager's per-agent day, an admin's audit trail.
 *
 *   GET /api/records?date=|from=&to=&line=&queue=&agent=&outcome=&caller=&limit=&cursor=&format=csv
 *   GET /api/records/:callSid
 *   GET /api/reports/agents?date=YYYY-MM-DD
 *   GET /api/audit?from=&to=&limit=&cursor=            (admin)
 *
 * Caller numbers leave masked unless the token may see them, and only such a token may search by
 * one (a search by number is itself a look at the number). A department sees its own lines'
 * records only; another line's record is "not found", not "forbidden" (its existence is not
 * the department's business). Agents cannot list records.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEntry, CallRow, RecordsDb } from '../../../app/records/records-db.js';
import { agentDayFigures } from '../../../app/reports/agent-day.js';
import { isIsoDate } from '../../../app/reports/index.js';
import { parseIsoDate, type Zone } from '../../../core/schedule/index.js';
import { callerNumberFor, principalOf, visibleLinesFor, type RouteAccess } from '../auth/index.js';
import { HttpError } from '../errors/index.js';
import { anyObject, nullableString, openObject } from '../schemas.js';
import { callRecordSchema, recordFor } from './calls.js';

export type RecordsQueryApi = Pick<RecordsDb, 'queryCalls' | 'findCall' | 'queryAudit' | 'agentEvents' | 'callsArrivedBetween'>;

export type RecordsErrorCode =
  | 'HOTLINE_ERR_BAD_DATE' | 'HOTLINE_ERR_BAD_RANGE' | 'HOTLINE_ERR_BAD_CURSOR' | 'HOTLINE_ERR_FORBIDDEN'
  | 'HOTLINE_ERR_RECORD_NOT_FOUND' | 'HOTLINE_ERR_BAD_QUERY';

const recordsAccess: RouteAccess = { roles: ['admin', 'supervisor', 'department'], scope: 'department' };
const agentReportAccess: RouteAccess = { roles: ['admin', 'supervisor'] };
const auditAccess: RouteAccess = { roles: ['admin'] };

const MS_PER_DAY = 86_400_000;
const MAX_LIMIT = 1000;
const MAX_CSV_LIMIT = 10_000;
const BOM = '\uFEFF';

const recordsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    date: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
    line: { type: 'string', maxLength: 32 }, queue: { type: 'string', maxLength: 64 }, agent: { type: 'string', maxLength: 64 },
    outcome: { type: 'string', maxLength: 32 }, caller: { type: 'string', maxLength: 32 },
    limit: { type: 'integer', minimum: 1, maximum: MAX_CSV_LIMIT, default: 100 },
    cursor: { type: 'string', maxLength: 512 },
    format: { type: 'string', enum: ['json', 'csv'], default: 'json' },
  },
} as const;

const recordView = { ...callRecordSchema, properties: { ...callRecordSchema.properties, seq: { type: 'integer' }, node: { type: 'string' }, switch: { type: 'string' } } };
const recordsResponse = {
  200: {
    description: 'a page of records, newest first (format=json), or as CSV (format=csv; the next cursor in X-Next-Cursor)',
    content: {
      'application/json': { schema: openObject({ records: { type: 'array', items: recordView }, next: nullableString }, ['records', 'next']) },
      'text/csv': { schema: { type: 'string' } },
    },
  },
};
const callSidParams = {
  type: 'object', required: ['callSid'], additionalProperties: false, properties: { callSid: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;
const agentReport = openObject({
  date: { type: 'string', format: 'date' }, timeZone: { type: 'string' }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' },
  agents: { type: 'array', items: openObject({ agentId: { type: 'string' }, callsAnswered: { type: 'integer' } }, ['agentId', 'callsAnswered']) },
}, ['date', 'timeZone', 'from', 'to', 'agents']);
const auditPage = openObject({
  entries: {
    type: 'array',
    items: openObject({
      id: { type: 'string' }, at: { type: 'string', format: 'date-time' }, actor: { type: 'string' }, role: { type: 'string' },
      action: { type: 'string' }, target: nullableString, result: { type: 'string' }, detail: anyObject,
    }, ['id', 'at', 'actor', 'role', 'action', 'target', 'result']),
  },
  next: nullableString,
}, ['entries', 'next']);

interface RecordsQuery {
  date?: string; from?: string; to?: string; line?: string; queue?: string; agent?: string; outcome?: string; caller?: string;
  limit: number; cursor?: string; format: 'json' | 'csv';
}

function fail(statusCode: 400 | 403 | 404, code: RecordsErrorCode, message: string): never {
  throw new HttpError(statusCode, code, message);
}

/** [from, to) from `date` (a whole local day) or ISO `from` / `to`; a string when they are wrong. */
function range(q: { date?: string; from?: string; to?: string }, zone: Zone): [number | undefined, number | undefined] | string {
  if (q.date !== undefined) {
    if (q.from !== undefined || q.to !== undefined) return 'give date or from/to, not both';
    if (!isIsoDate(q.date)) return 'date must be a calendar date YYYY-MM-DD';
    const day = parseIsoDate(q.date);
    return [zone.instantOf(day * MS_PER_DAY), zone.instantOf((day + 1) * MS_PER_DAY)];
  }
  const from = q.from === undefined ? undefined : Date.parse(q.from);
  const to = q.to === undefined ? undefined : Date.parse(q.to);
  if (Number.isNaN(from) || Number.isNaN(to)) return 'from and to must be ISO 8601 date-times (2026-03-10T08:00:00+08:00)';
  if (from !== undefined && to !== undefined && to <= from) return 'to must be after from';
  return [from, to];
}

interface RecordView extends Record<string, unknown> {
  readonly seq: number;
  readonly node: string;
}

function viewOf(req: FastifyRequest, row: CallRow): RecordView {
  return { ...recordFor(req, row.record), seq: row.seq, node: row.node, ...(row.switch === undefined ? {} : { switch: row.switch }) };
}

const CSV_COLUMNS = [
  'call_sid', 'arrived_at', 'ended_at', 'line', 'dialed', 'caller', 'queue', 'hops', 'agent', 'agents_tried', 'outcome',
  'wait_seconds', 'wait_from_arrival_seconds', 'survey', 'hangup_cause', 'transfers', 'node', 'fs_uuid', 'shed', 'demo',
] as const;

function csvCell(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function recordsCsv(req: FastifyRequest, rows: readonly CallRow[], zone: Zone): string {
  const local = (at: number | undefined) => (at === undefined ? '' : new Date(zone.localMs(at)).toISOString().slice(0, 19).replace('T', ' '));
  const lines = rows.map(({ record: r, node }) => [
    r.callSid, local(r.arrivedAt), local(r.endedAt), r.line, r.dialed, r.caller === undefined ? '' : callerNumberFor(req, r.caller), r.queue,
    r.hops.map((h) => ('queue' in h ? `${h.queue}:${h.reason}` : `${h.subcenter}:${h.reason}`)).join(' '),
    r.agentId, r.agentsTried.join(' '), r.outcome, r.waitSeconds, r.waitFromArrivalSeconds, r.survey, r.hangupCause,
    r.transfers?.length ?? 0, node, r.fsUuid, r.shed, r.demo === true ? 1 : '',
  ].map(csvCell).join(','));
  return BOM + [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

export function recordsRoutes(db: RecordsQueryApi, zone: Zone, clock: () => number) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: RecordsQuery }>('/api/records', {
      config: { access: recordsAccess, validationCode: 'HOTLINE_ERR_BAD_QUERY' }, schema: { querystring: recordsQuery, response: recordsResponse },
    }, async (req, reply) => {
      const q = req.query;
      const r = range(q, zone);
      if (typeof r === 'string') fail(400, q.date !== undefined ? 'HOTLINE_ERR_BAD_DATE' : 'HOTLINE_ERR_BAD_RANGE', r);
      if (q.format === 'json' && q.limit > MAX_LIMIT) fail(400, 'HOTLINE_ERR_BAD_QUERY', `limit is at most ${MAX_LIMIT} (${MAX_CSV_LIMIT} for csv)`);
      if (q.caller !== undefined && principalOf(req)?.canSeeCallerNumbers !== true) {
        fail(403, 'HOTLINE_ERR_FORBIDDEN', 'searching by caller number needs a token that may see caller numbers');
      }
      const visible = visibleLinesFor(req);
      let lines: string[] | undefined = q.line === undefined ? undefined : [q.line];
      if (visible !== undefined) lines = (lines ?? [...visible]).filter((l) => visible.has(l));
      if (lines !== undefined && lines.length === 0) return reply.send({ records: [], next: null });
      // A cursor this database did not hand out: InvalidCursorError, 400 HOTLINE_ERR_BAD_CURSOR (errors/).
      const page = await db.queryCalls({
        ...(r[0] === undefined ? {} : { from: r[0] }), ...(r[1] === undefined ? {} : { to: r[1] }),
        ...(lines === undefined ? {} : { lines }), ...(q.queue === undefined ? {} : { queue: q.queue }),
        ...(q.agent === undefined ? {} : { agentId: q.agent }), ...(q.outcome === undefined ? {} : { outcome: q.outcome }),
        ...(q.caller === undefined ? {} : { caller: q.caller }),
      }, q.limit, q.cursor);
      if (q.format === 'csv') {
        if (page.next !== null) reply.header('x-next-cursor', page.next);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="hotline-records.csv"')
          .send(recordsCsv(req, page.rows, zone));
      }
      return reply.send({ records: page.rows.map((row) => viewOf(req, row)), next: page.next });
    });

    app.get<{ Params: { callSid: string } }>('/api/records/:callSid', { config: { access: recordsAccess }, schema: { params: callSidParams, response: { 200: recordView } } }, async (req, reply) => {
      const row = await db.findCall(req.params.callSid);
      const visible = visibleLinesFor(req);
      if (row === null || (visible !== undefined && (row.record.line === undefined || !visible.has(row.record.line)))) {
        fail(404, 'HOTLINE_ERR_RECORD_NOT_FOUND', `no call record ${req.params.callSid}`);
      }
      return reply.send(viewOf(req, row));
    });

    app.get<{ Querystring: { date: string; agent?: string } }>('/api/reports/agents', {
      config: { access: agentReportAccess, validationCode: 'HOTLINE_ERR_BAD_DATE' },
      schema: { querystring: { type: 'object', additionalProperties: false, required: ['date'], properties: { date: { type: 'string' }, agent: { type: 'string', maxLength: 64 } } }, response: { 200: agentReport } },
    }, async (req, reply) => {
      if (!isIsoDate(req.query.date)) fail(400, 'HOTLINE_ERR_BAD_DATE', 'date must be a calendar date YYYY-MM-DD');
      const day = parseIsoDate(req.query.date);
      const from = zone.instantOf(day * MS_PER_DAY);
      // Today: up to now, so an agent's current state counts only what has passed.
      const to = Math.min(zone.instantOf((day + 1) * MS_PER_DAY), Math.max(from, clock()));
      const [events, records] = await Promise.all([db.agentEvents(from, to, req.query.agent), db.callsArrivedBetween(from, to)]);
      const agents = agentDayFigures(events, records, from, to).filter((a) => req.query.agent === undefined || a.agentId === req.query.agent);
      return reply.send({ date: req.query.date, timeZone: zone.id, from: new Date(from).toISOString(), to: new Date(to).toISOString(), agents });
    });

    app.get<{ Querystring: { from?: string; to?: string; limit: number; cursor?: string } }>('/api/audit', {
      config: { access: auditAccess, validationCode: 'HOTLINE_ERR_BAD_QUERY' },
      schema: {
        querystring: {
          type: 'object', additionalProperties: false,
          properties: { from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 100 }, cursor: { type: 'string', maxLength: 512 } },
        },
        response: { 200: auditPage },
      },
    }, async (req, reply) => {
      const r = range(req.query, zone);
      if (typeof r === 'string') fail(400, 'HOTLINE_ERR_BAD_RANGE', r);
      const page = await db.queryAudit(r[0] ?? 0, r[1] ?? clock() + 1, req.query.limit, req.query.cursor);
      return reply.send({ entries: page.rows.map((e: AuditEntry) => ({ ...e, at: new Date(e.at).toISOString() })), next: page.next });
    });
  };
}

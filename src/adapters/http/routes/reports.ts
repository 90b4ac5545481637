/**
 * GET /api/reports/daily?date=YYYY-MM-DD[&format=csv]: a stored daily report. 400
 * HOTLINE_ERR_BAD_DATE for a malformed or impossible date, 404 HOTLINE_ERR_REPORT_NOT_FOUND
 * for a day without a report (no call that day, or not computed yet).
 */
import type { FastifyInstance } from 'fastify';
import { isIsoDate, reportCsv, type ReportStore } from '../../../app/reports/index.js';
import type { StatsErrorCode } from '../../../app/metrics/index.js';
import { reportFor, type RouteAccess } from '../auth/index.js';
import { HttpError } from '../errors/index.js';
import { anyObject, kpiSet, openObject } from '../schemas.js';

/** A department gets its own lines only (reportFor). */
const reportAccess: RouteAccess = { roles: ['admin', 'supervisor', 'department'], scope: 'department' };

const querySchema = {
  type: 'object',
  properties: {
    date: { type: 'string' },
    format: { type: 'string', enum: ['json', 'csv'], default: 'json' },
    token: { type: 'string' },
  },
  required: ['date'],
  additionalProperties: false,
} as const;

function fail(statusCode: 400 | 404, code: StatsErrorCode, message: string): never {
  throw new HttpError(statusCode, code, message);
}

const report = openObject({
  date: { type: 'string', format: 'date' }, timeZone: { type: 'string' }, generatedAt: { type: 'string', format: 'date-time' },
  records: { type: 'integer' }, total: kpiSet, lines: { type: 'array', items: anyObject }, queues: { type: 'array', items: anyObject },
  hourly: { type: 'array', items: anyObject },
}, ['date', 'timeZone', 'generatedAt', 'records', 'total', 'lines', 'queues', 'hourly']);
const reportResponse = {
  200: { description: 'the report (format=json), or its CSV (format=csv)', content: { 'application/json': { schema: report }, 'text/csv': { schema: { type: 'string' } } } },
};

export function reportRoutes(store: ReportStore) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: { date: string; format: 'json' | 'csv' } }>('/api/reports/daily', {
      // A missing date is the same mistake as a malformed one: one stable code for both.
      config: { access: reportAccess, validationCode: 'HOTLINE_ERR_BAD_DATE' },
      schema: { querystring: querySchema, response: reportResponse },
    }, async (req, reply) => {
      if (!isIsoDate(req.query.date)) fail(400, 'HOTLINE_ERR_BAD_DATE', 'date must be a calendar date YYYY-MM-DD (and format json or csv)');
      const { date, format } = req.query;
      const stored = await store.get(date);
      if (stored === null) fail(404, 'HOTLINE_ERR_REPORT_NOT_FOUND', `no daily report for ${date}`);
      const report = reportFor(req, stored);
      if (format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="hotline-daily-${date}.csv"`)
          .send(reportCsv(report));
      }
      return reply.send(report);
    });
  };
}

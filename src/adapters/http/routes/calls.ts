/**
 * Finished calls, newest first: outcome, queue hops, waits, survey — what the e2e suites assert
 * and what a supervisor checks after a complaint. Read-only. Records carry no caller number
 * today; should one appear, it leaves the process masked (GB/T 33358 confidentiality), like
 * the waiting-calls board.
 */
import type { FastifyInstance } from 'fastify';
import type { CallRecord } from '../../../app/records/index.js';
import { maskNumber } from '../../../lib/mask.js';

export interface RecentCallsSource {
  all(): CallRecord[];
}

const MAX_LIMIT = 1000;
const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } },
} as const;

function masked(record: CallRecord): CallRecord {
  const caller = (record as { caller?: unknown }).caller;
  return typeof caller === 'string' ? { ...record, caller: maskNumber(caller) } : record;
}

export function callRoutes(records: RecentCallsSource) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: { limit: number } }>('/api/calls/recent', {
      config: { access: { roles: ['admin', 'supervisor'] } },
      schema: { querystring: querySchema },
    }, (req) => {
      const all = records.all();
      return { calls: all.slice(-req.query.limit).reverse().map(masked) };
    });
  };
}

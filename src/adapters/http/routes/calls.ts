/**
 * Finished calls, newest first: outcome, queue hops, waits, survey — what the e2e suites assert
 * and what a supervisor checks after a complaint. Read-only. The caller's number leaves the
 * process in full only for a token that may see it (GB/T 33358 confidentiality), masked
 * otherwise, like the waiting-calls board.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallRecord } from '../../../app/records/index.js';
import { callerNumberFor } from '../auth/index.js';
import { openObject } from '../schemas.js';

export interface RecentCallsSource {
  all(): CallRecord[];
}

const MAX_LIMIT = 1000;
const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } },
} as const;

/** The record as this request may see it: the caller's number masked unless the token may see it. */
export function recordFor(req: FastifyRequest, record: CallRecord): CallRecord {
  return record.caller === undefined ? record : { ...record, caller: callerNumberFor(req, record.caller) };
}

/** A finished call as the records give it; fields the call never reached are absent. */
export const callRecordSchema = openObject({
  callSid: { type: 'string' }, fsUuid: { type: 'string' }, caller: { type: 'string', description: 'masked unless the token may see it' },
  dialed: { type: 'string' }, line: { type: 'string' }, mode: { type: 'string' }, queue: { type: 'string' },
  hops: { type: 'array', items: { type: 'object' } }, arrivedAt: { type: 'number' }, queuedAt: { type: 'number' },
  answeredAt: { type: 'number' }, agentId: { type: 'string' }, agentsTried: { type: 'array', items: { type: 'string' } },
  endedAt: { type: 'number' }, outcome: { type: 'string' }, waitSeconds: { type: 'number' },
  waitFromArrivalSeconds: { type: 'number' }, survey: { type: 'string' }, hangupCause: { type: 'string' },
  transfers: { type: 'array', items: { type: 'object' } },
}, ['callSid', 'hops', 'arrivedAt', 'agentsTried', 'endedAt', 'outcome']);

export function callRoutes(records: RecentCallsSource) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: { limit: number } }>('/api/calls/recent', {
      config: { access: { roles: ['admin', 'supervisor'] } },
      schema: { querystring: querySchema, response: { 200: openObject({ calls: { type: 'array', items: callRecordSchema } }, ['calls']) } },
    }, (req) => {
      const all = records.all();
      return { calls: all.slice(-req.query.limit).reverse().map((r) => recordFor(req, r)) };
    });
  };
}

/**
 * GET /api/stats: the live snapshot (today's figures in the hotline's time zone, live gauges).
 * GET /api/stream: the same as server-sent events — `event: snapshot` at most once a second and
 * only when it changed, a `: heartbeat` comment every 15 s. A client that goes away is
 * unsubscribed on the socket's close, so nothing is left armed for it.
 */
import type { FastifyInstance } from 'fastify';
import { SSE_SNAPSHOT_EVENT, type StatsSnapshot, type StreamListener } from '../../../app/metrics/index.js';
import { snapshotFor, type RouteAccess } from '../auth/index.js';
import { anyObject, kpiSet, openObject, textResponse } from '../schemas.js';

export interface StatsApi {
  snapshot(): Promise<StatsSnapshot>;
  subscribe(listener: StreamListener): () => void;
}

/**
 * Counts only, no personal data: the board's roles; a department its own lines (snapshotFor).
 * EventSource cannot send headers: `?token=`.
 */
const statsAccess: RouteAccess = { roles: ['admin', 'supervisor', 'agent', 'department'], scope: 'department' };
const streamAccess: RouteAccess = { ...statsAccess, queryToken: true };

/** app/metrics/stats-model.ts StatsSnapshot; docs/metrics.md defines every figure. */
const snapshot = openObject({
  at: { type: 'string', format: 'date-time' }, timeZone: { type: 'string' }, date: { type: 'string', format: 'date' },
  lines: { type: 'array', items: anyObject }, queues: { type: 'array', items: anyObject },
  agents: openObject({ byState: anyObject, total: { type: 'integer' } }, ['byState', 'total']),
  hourly: { type: 'array', items: anyObject }, total: kpiSet,
  scope: openObject({ department: { type: 'string' }, lines: { type: 'array', items: { type: 'string' } } }),
}, ['at', 'timeZone', 'date', 'lines', 'queues', 'agents', 'hourly', 'total']);

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  // nginx buffers responses by default, which would hold the events back.
  'x-accel-buffering': 'no',
} as const;

export function statsRoutes(stats: StatsApi) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    // Open streams are never idle: end them on shutdown, or app.close() would wait for them.
    const open = new Set<() => void>();
    app.addHook('preClose', (done) => {
      for (const close of [...open]) close();
      done();
    });

    app.get('/api/stats', { config: { access: statsAccess }, schema: { response: { 200: snapshot } } }, async (req, reply) =>
      reply.header('cache-control', 'no-store').send(snapshotFor(req, await stats.snapshot())));

    app.get('/api/stream', { config: { access: streamAccess }, schema: { response: { 200: textResponse('text/event-stream', 'server-sent events: `snapshot` events and heartbeat comments') } } }, (req, reply) => {
      // HEAD: the stream's headers and nothing else; never a subscription that no body could carry.
      if (req.method === 'HEAD') return reply.headers(STREAM_HEADERS).send();
      reply.hijack();
      const res = reply.raw;
      // Hijacked: fastify's hooks no longer add the request id.
      res.writeHead(200, { ...STREAM_HEADERS, 'x-request-id': req.id });
      res.write(': connected\n\n');
      const unsubscribe = stats.subscribe((m) => {
        if (m.kind === 'heartbeat') res.write(': heartbeat\n\n');
        else res.write(`event: ${SSE_SNAPSHOT_EVENT}\ndata: ${JSON.stringify(snapshotFor(req, m.snapshot))}\n\n`);
      });
      const close = (): void => {
        open.delete(close);
        unsubscribe();
        if (!res.writableEnded) res.end();
      };
      open.add(close);
      // The response's close is the socket going away (client gone, proxy timeout) or our end().
      res.on('close', close);
      res.on('error', close);
    });
  };
}

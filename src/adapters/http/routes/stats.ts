/**
 * GET /api/stats: the live snapshot (today's figures in the hotline's time zone, live gauges).
 * GET /api/stream: the same as server-sent events — `event: snapshot` at most once a second and
 * only when it changed, a `: heartbeat` comment every 15 s. A client that goes away is
 * unsubscribed on the socket's close, so nothing is left armed for it.
 */
import { HttpError } from '../errors/index.js';
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

export interface StreamLimits {
  /** Concurrent streams; one more is answered 503 HOTLINE_ERR_TOO_MANY_STREAMS. */
  readonly maxClients: number;
  /** Bytes queued for one client that does not read; past it the client is dropped. */
  readonly maxBacklogBytes: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = Object.freeze({ maxClients: 256, maxBacklogBytes: 1024 * 1024 });

export function statsRoutes(stats: StatsApi, limits: StreamLimits = DEFAULT_STREAM_LIMITS) {
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
      if (open.size >= limits.maxClients) {
        req.log.warn({ clients: open.size, max: limits.maxClients }, 'stream refused: too many clients');
        reply.header('retry-after', '30');
        throw new HttpError(503, 'HOTLINE_ERR_TOO_MANY_STREAMS', `this node serves ${limits.maxClients} streams at most; poll GET /api/stats or try again later`);
      }
      reply.hijack();
      const res = reply.raw;
      // Hijacked: fastify's hooks no longer add the request id.
      res.writeHead(200, { ...STREAM_HEADERS, 'x-request-id': req.id });
      res.write(': connected\n\n');
      // A client that stops reading leaves what we write queued in this process: past the bound it is
      // dropped (EventSource reconnects by itself once it reads again).
      const send = (text: string): void => {
        if (res.writableLength + Buffer.byteLength(text) > limits.maxBacklogBytes) {
          req.log.warn({ queuedBytes: res.writableLength, max: limits.maxBacklogBytes }, 'slow stream client dropped');
          res.destroy();
          close();
          return;
        }
        res.write(text);
      };
      const unsubscribe = stats.subscribe((m) => {
        if (m.kind === 'heartbeat') send(': heartbeat\n\n');
        else send(`event: ${SSE_SNAPSHOT_EVENT}\ndata: ${JSON.stringify(snapshotFor(req, m.snapshot))}\n\n`);
      });
      function close(): void {
        open.delete(close);
        unsubscribe();
        if (!res.writableEnded && !res.destroyed) res.end();
      }
      open.add(close);
      // The response's close is the socket going away (client gone, proxy timeout) or our end().
      res.on('close', close);
      res.on('error', close);
    });
  };
}

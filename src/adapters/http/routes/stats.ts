/**
 * GET /api/stats: the live snapshot (today's figures in the hotline's time zone, live gauges).
 * GET /api/stream: the same as server-sent events — `event: snapshot` at most once a second and
 * only when it changed, a `: heartbeat` comment every 15 s. A client that goes away is
 * unsubscribed on the socket's close, so nothing is left armed for it.
 */
import type { FastifyInstance } from 'fastify';
import { SSE_SNAPSHOT_EVENT, type StatsSnapshot, type StreamListener } from '../../../app/metrics/index.js';
import type { RouteAccess } from '../auth/index.js';

export interface StatsApi {
  snapshot(): Promise<StatsSnapshot>;
  subscribe(listener: StreamListener): () => void;
}

/** Counts only, no personal data: the board's roles. EventSource cannot send headers: `?token=`. */
const statsAccess: RouteAccess = { roles: ['admin', 'supervisor', 'agent'] };
const streamAccess: RouteAccess = { roles: ['admin', 'supervisor', 'agent'], queryToken: true };

export function statsRoutes(stats: StatsApi) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/stats', { config: { access: statsAccess } }, async (_req, reply) =>
      reply.header('cache-control', 'no-store').send(await stats.snapshot()));

    app.get('/api/stream', { config: { access: streamAccess } }, (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // nginx buffers responses by default, which would hold the events back.
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      const unsubscribe = stats.subscribe((m) => {
        if (m.kind === 'heartbeat') res.write(': heartbeat\n\n');
        else res.write(`event: ${SSE_SNAPSHOT_EVENT}\ndata: ${JSON.stringify(m.snapshot)}\n\n`);
      });
      const close = (): void => {
        unsubscribe();
        if (!res.writableEnded) res.end();
      };
      req.raw.on('close', close);
      res.on('close', close);
      res.on('error', close);
    });
  };
}

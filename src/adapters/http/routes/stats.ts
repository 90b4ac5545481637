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
    // Open streams are never idle: end them on shutdown, or app.close() would wait for them.
    const open = new Set<() => void>();
    app.addHook('preClose', (done) => {
      for (const close of [...open]) close();
      done();
    });

    app.get('/api/stats', { config: { access: statsAccess } }, async (_req, reply) =>
      reply.header('cache-control', 'no-store').send(await stats.snapshot()));

    app.get('/api/stream', { config: { access: streamAccess } }, (_req, reply) => {
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

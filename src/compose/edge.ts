/**
 * `hotline edge`: the composition root of the SIP edge. Loads the registry (its trunks and
 * nodes), connects to drachtio-server, answers INVITEs through EdgeCalls, probes the nodes,
 * serves /health and /metrics, and drains on SIGTERM.
 */
import Srf from 'drachtio-srf';
import { fastify } from 'fastify';
import { performance } from 'node:perf_hooks';
import { EdgeCalls } from '../app/edge/edge-calls.js';
import type { Registry } from '../config/schema.js';
import { NodeBoard } from '../core/edge/index.js';
import { buildRoutingTable } from '../core/routing/index.js';
import { inviteView, placer, respondWith, startKeepAlives } from '../adapters/sip-edge/drachtio.js';
import { edgeMetrics } from '../adapters/sip-edge/metrics.js';
import type { Logger } from '../lib/logger.js';
import type { EdgeSettings } from '../settings/edge-settings.js';

export interface RunningEdge {
  readonly httpPort: number;
  readonly calls: EdgeCalls;
  /** Stops taking calls (503), waits up to drainSeconds for calls in progress, then closes. */
  stop(): Promise<void>;
}

/** drachtio-srf's typings say connect() returns a promise; it returns the Srf and reports on 'connect'. */
type ConnectFn = (config: { host: string; port: number; secret: string }) => unknown;

/** drachtio-srf's disconnect() throws (an assertion) when it never connected. */
function disconnect(srf: Srf): void {
  try {
    srf.disconnect();
  } catch {
    // Nothing was open: nothing to close.
  }
}

/** drachtio-srf retries a refused connection by itself: give up after this long at start. */
const CONNECT_TIMEOUT_MS = 10_000;

function connect(srf: Srf, settings: EdgeSettings, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      disconnect(srf);
      reject(new Error(`no drachtio-server at ${settings.drachtioHost}:${settings.drachtioPort} after ${CONNECT_TIMEOUT_MS / 1000} s`));
    }, CONNECT_TIMEOUT_MS);
    srf.on('connect', (err, hostPort) => {
      clearTimeout(timer);
      if (err !== null && err !== undefined) {
        reject(err);
        return;
      }
      logger.info({ hostPort }, 'edge connected to drachtio-server');
      resolve();
    });
    (srf.connect as unknown as ConnectFn).call(srf, { host: settings.drachtioHost, port: settings.drachtioPort, secret: settings.drachtioSecret });
  });
}

export async function startEdge(registry: Registry, settings: EdgeSettings, logger: Logger): Promise<RunningEdge> {
  const nodes = registry.nodes ?? [];
  const trunks = registry.trunks ?? [];
  if (nodes.length === 0) throw new Error('the registry declares no FreeSWITCH nodes (nodes:): the edge has nowhere to send calls');
  if (trunks.length === 0) logger.warn({}, 'the registry declares no trunks: every INVITE will be refused');
  const board = new NodeBoard(nodes.map((n) => ({ name: n.name, maxSessions: n.maxSessions })));
  for (const name of settings.drainNodes) board.setDraining(name, true);
  const metrics = edgeMetrics(board);
  const calls = new EdgeCalls({
    table: buildRoutingTable(registry),
    trunks,
    nodes,
    board,
    now: () => Date.now(),
    elapsed: () => performance.now() / 1000,
    metrics: metrics.port,
    logger,
  });

  const srf = new Srf();
  srf.on('error', (err) => logger.error({ err }, 'drachtio-server connection error'));
  srf.invite((req, res) => {
    const respond = respondWith(res);
    calls.onInvite(inviteView(req), respond, placer(srf, req, res, settings.inviteTimeoutMs))
      .catch((err: unknown) => {
        logger.error({ err }, 'edge failed on an INVITE');
        respond(500);
      });
  });
  // Carriers probe with OPTIONS; answering keeps their route to the edge up.
  srf.use('options', (_req, res) => res.send(calls.isDraining ? 503 : 200));
  await connect(srf, settings, logger);
  const stopKeepAlives = startKeepAlives(srf, nodes, board, settings.keepAliveMs, Math.min(settings.keepAliveMs, 2000));

  const http = fastify({ logger: false });
  http.get('/health', () => ({ status: calls.isDraining ? 'draining' : 'ok', calls: calls.calls, nodes: board.view() }));
  http.get('/metrics', async (_req, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()));
  await http.listen({ host: settings.httpHost, port: settings.httpPort });
  const address = http.server.address();
  const httpPort = typeof address === 'object' && address !== null ? address.port : settings.httpPort;
  logger.info({ httpPort, nodes: nodes.map((n) => n.name), trunks: trunks.map((t) => t.name) }, 'edge ready');

  return {
    httpPort,
    calls,
    async stop() {
      calls.drain();
      logger.info({ calls: calls.calls, drainSeconds: settings.drainSeconds }, 'edge draining');
      const deadline = Date.now() + settings.drainSeconds * 1000;
      while (calls.calls > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      stopKeepAlives();
      disconnect(srf);
      await http.close();
      logger.info({ callsLeft: calls.calls }, 'edge stopped');
    },
  };
}

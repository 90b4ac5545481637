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
import { isScannerUserAgent, nodeSources, NodeBoard, sourceMatcher } from '../core/edge/index.js';
import { buildRoutingTable } from '../core/routing/index.js';
import { inviteView, placer, respondWith, startKeepAlives } from '../adapters/sip-edge/drachtio.js';
import { edgeMetrics } from '../adapters/sip-edge/metrics.js';
import { proxier, registerView } from '../adapters/sip-edge/agents.js';
import { accessControl, type RouteAccess } from '../adapters/http/auth/index.js';
import { edgeAgents } from './edge-agents.js';
import type { Logger } from '../lib/logger.js';
import type { EdgeSettings } from '../settings/edge-settings.js';

export interface RunningEdge {
  readonly httpPort: number;
  /** Only without HOTLINE_TOKENS_FILE: the admin token made for this run (to read /metrics). */
  readonly generatedAdminToken: string | undefined;
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

/** Longer than any queue's ringSeconds (at most 120): the node cancels an unanswered agent call first. */
const AGENT_RING_LIMIT_SECONDS = 130;

/** Scrapers present a token like any client of the router (same tokens file, same roles). */
const METRICS_ACCESS: RouteAccess = { roles: ['admin', 'supervisor'] };

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

  const agents = await edgeAgents(registry, settings, metrics, logger);
  const trunkOf = sourceMatcher(trunks.map((t) => ({ owner: t.name, sources: t.sources })));
  const fromNode = nodeSources(nodes, (source) => trunkOf.match(source) !== undefined);

  const srf = new Srf();
  srf.on('error', (err) => logger.error({ err }, 'drachtio-server connection error'));
  // Counted whatever the method; an INVITE goes on to be refused (and counted) by the decision.
  srf.use((req, res, proceed) => {
    const next = proceed as () => void;
    let agent: unknown;
    try { agent = req.get('User-Agent'); } catch { agent = undefined; }
    if (!isScannerUserAgent(typeof agent === 'string' ? agent : undefined)) return next();
    metrics.scanner(typeof req.method === 'string' ? req.method : 'unknown');
    if (req.method === 'INVITE' || req.method === 'REGISTER') return next();
    res.send(403);
  });
  srf.use('register', (req, res) => {
    const respond = respondWith(res);
    agents.registrar.onRegister(registerView(req), respond).catch((err: unknown) => {
      logger.error({ err }, 'edge failed on a REGISTER');
      respond(500);
    });
  });
  srf.invite((req, res) => {
    const respond = respondWith(res);
    const node = fromNode.nodeOf(String(req.source_address), String(req.source_port));
    if (node !== undefined) {
      agents.agentCalls.onNodeInvite(inviteView(req), respond, proxier(srf, req, AGENT_RING_LIMIT_SECONDS)).catch((err: unknown) => {
        logger.error({ err, node }, 'edge failed on an agent call');
      });
      return;
    }
    calls.onInvite(inviteView(req), respond, placer(srf, req, res, settings.inviteTimeoutMs, settings.lastNodeTimeoutMs))
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
  const access = await accessControl({ settings: settings.tokensFile === undefined ? {} : { tokensFile: settings.tokensFile }, registry, logger, publicPaths: ['/health'] });
  access.registerMetrics(metrics.registry);
  if (access.generatedAdminToken !== undefined) {
    logger.warn({}, 'no HOTLINE_TOKENS_FILE: the edge made an admin token for this run (printed on stderr) to read /metrics');
  }
  await http.register(access.plugin);
  http.get('/health', { config: { access: { roles: 'public' } } }, () => ({ status: calls.isDraining ? 'draining' : 'ok', calls: calls.calls, nodes: board.view() }));
  http.get('/metrics', { config: { access: METRICS_ACCESS } }, async (_req, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()));
  await http.listen({ host: settings.httpHost, port: settings.httpPort });
  const address = http.server.address();
  const httpPort = typeof address === 'object' && address !== null ? address.port : settings.httpPort;
  logger.info({ httpPort, nodes: nodes.map((n) => n.name), trunks: trunks.map((t) => t.name) }, 'edge ready');

  return {
    httpPort,
    generatedAdminToken: access.generatedAdminToken,
    calls,
    async stop() {
      calls.drain();
      logger.info({ calls: calls.calls, drainSeconds: settings.drainSeconds }, 'edge draining');
      const deadline = Date.now() + settings.drainSeconds * 1000;
      while (calls.calls > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      stopKeepAlives();
      disconnect(srf);
      agents.close();
      await http.close();
      logger.info({ callsLeft: calls.calls }, 'edge stopped');
    },
  };
}

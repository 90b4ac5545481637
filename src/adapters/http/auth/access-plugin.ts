/**
 * The access plugin: every request's token is checked against the route's declared access
 * before its handler runs (onRequest, so refused requests never reach body parsing), refusals
 * are logged without the token, and every change is written to the `audit` logger.
 * It is registered without encapsulation so its hooks cover the routes of every other plugin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../../lib/logger.js';
import { errorBody } from '../errors/index.js';
import { decide } from './decide.js';
import type { FailedAuthLimiter } from './failed-auth-limiter.js';
import { ADMIN_ONLY, type Principal, type RouteAccess } from './types.js';

const PUBLIC: RouteAccess = Object.freeze({ roles: 'public' });
const READS = new Set(['GET', 'HEAD']);
const UNCHANGED = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Where refusals are counted (Prometheus once the metrics exist). */
export interface AuthCounters {
  refused(reason: 'invalid-token' | 'locked-out'): void;
  lockout(): void;
}

export interface AccessPluginDeps {
  /** The token holders now (a tokens file reload replaces them between two requests). */
  readonly tokens: { find(token: string): Principal | undefined };
  /** Failed authentications per source address; absent = no lockout. */
  readonly limiter?: FailedAuthLimiter;
  readonly counters?: AuthCounters;
  readonly logger: Logger;
  /** routes public without declaring it (they live outside the route files): /health */
  readonly publicPaths?: readonly string[];
  /** every change's audit line also goes here (the records database's audit log) */
  readonly audit?: AuditSink;
}

/** Who changed what, and how it ended; the sink stamps the time. */
export interface AuditSink {
  add(entry: { readonly actor: string; readonly role: string; readonly action: string; readonly target: string | null; readonly result: string }): void;
}

function presentedToken(request: FastifyRequest, access: RouteAccess): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    // A malformed header still counts as presented: the answer is "invalid", not "missing".
    return match?.[1] ?? '';
  }
  if (access.queryToken === true && READS.has(request.method)) {
    const q = (request.query as Record<string, unknown> | undefined)?.token;
    if (typeof q === 'string') return q;
  }
  return undefined;
}

/**
 * Once read, `?token=` is cut from the request's URL: fastify's error logs serialize the URL, and
 * the token must never reach a log line. The query was parsed already; handlers keep `query`.
 */
function forgetQueryToken(request: FastifyRequest): void {
  const raw = request.raw.url;
  if (raw === undefined || !raw.includes('token=')) return;
  const [path, search = ''] = raw.split('?', 2) as [string, string?];
  const params = new URLSearchParams(search);
  if (!params.has('token')) return;
  params.delete('token');
  const rest = params.toString();
  request.raw.url = rest === '' ? path : `${path}?${rest}`;
}

function refuse(reply: FastifyReply, status: 401 | 403, tokenPresented: boolean): FastifyReply {
  if (status === 401) {
    reply.header('WWW-Authenticate', tokenPresented ? 'Bearer realm="hotline-router", error="invalid_token"' : 'Bearer realm="hotline-router"');
    return reply.code(401).send(errorBody(401, 'HOTLINE_ERR_UNAUTHENTICATED', 'a valid API token is required (Authorization: Bearer <token>)'));
  }
  return reply.code(403).send(errorBody(403, 'HOTLINE_ERR_FORBIDDEN', 'this token may not use this route'));
}

function refuseLocked(reply: FastifyReply, lockedMs: number): FastifyReply {
  return reply.code(429).header('Retry-After', String(Math.ceil(lockedMs / 1000))).send({
    statusCode: 429, code: 'HOTLINE_ERR_AUTH_LOCKED', error: 'Too Many Requests',
    message: 'too many failed authentications from this address; try again later',
  });
}

export function accessPlugin(deps: AccessPluginDeps): (app: FastifyInstance) => Promise<void> {
  const publicPaths = new Set(deps.publicPaths ?? ['/health']);
  const accessLog = deps.logger.child({ component: 'access' });
  const audit = deps.logger.child({ component: 'audit' });

  const failedAuthentication = (address: string): void => {
    deps.counters?.refused('invalid-token');
    const outcome = deps.limiter?.fail(address);
    if (outcome?.locked !== true) return;
    deps.counters?.lockout();
    accessLog.warn({ address, failures: outcome.failures, until: new Date(outcome.untilMs).toISOString() }, 'address locked out after failed authentications');
  };

  const accessOf = (request: FastifyRequest): RouteAccess => {
    const declared = request.routeOptions.config.access;
    if (declared !== undefined) return declared;
    const url = request.routeOptions.url;
    return url !== undefined && publicPaths.has(url) ? PUBLIC : ADMIN_ONLY;
  };

  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  const plugin = async (app: FastifyInstance): Promise<void> => {
    app.decorateRequest('principal', null);

    app.addHook('onRequest', async (request, reply) => {
      const access = accessOf(request);
      if (access.roles === 'public') {
        forgetQueryToken(request);
        return;
      }
      const token = presentedToken(request, access);
      forgetQueryToken(request);
      const lockedMs = deps.limiter?.lockedFor(request.ip) ?? 0;
      if (lockedMs > 0) {
        deps.counters?.refused('locked-out');
        accessLog.warn({
          route: request.routeOptions.url ?? null, method: request.method, address: request.ip, status: 429, reason: 'locked out', lockedMs,
        }, 'access refused');
        return refuseLocked(reply, lockedMs);
      }
      const principal: Principal | undefined = token === undefined || token === '' ? undefined : deps.tokens.find(token);
      const decision = decide(access, principal, token !== undefined, request.params);
      if (!decision.ok) {
        accessLog.warn({
          route: request.routeOptions.url ?? null, method: request.method, role: principal?.role ?? null,
          actor: principal?.name ?? null, status: decision.status, reason: decision.reason, address: request.ip,
        }, 'access refused');
        if (decision.status === 401 && token !== undefined) failedAuthentication(request.ip);
        return refuse(reply, decision.status, token !== undefined);
      }
      request.principal = principal ?? null;
    });

    app.addHook('onResponse', async (request, reply) => {
      const p = request.principal;
      if (p === null || UNCHANGED.has(request.method)) return;
      const action = `${request.method} ${request.routeOptions.url ?? ''}`;
      // The path, never the query string: it may carry a token.
      const target = request.url.split('?')[0] ?? null;
      audit.info({ actor: p.name, role: p.role, action, target, status: reply.statusCode, at: new Date().toISOString() }, 'audit');
      try {
        deps.audit?.add({ actor: p.name, role: p.role, action, target, result: String(reply.statusCode) });
      } catch (err) {
        audit.error({ err }, 'audit sink failed');
      }
    });
  };
  // What fastify-plugin does: share the hooks with the parent instance instead of encapsulating them.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}

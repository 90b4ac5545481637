/**
 * The one error contract of the HTTP server: whatever goes wrong — a route's refusal, a domain
 * error, fastify's own 400/404/405/413/415, a handler past its time, a bug — the answer is the
 * documented body with a stable `code` (./http-error.ts), mapped here and nowhere else. Every
 * answer carries its request id (`x-request-id`, also on every log line of the request), and
 * every 5xx is logged once, with its error when there is one.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AgentOperationError } from '../../../app/acd/acd-model.js';
import type { Logger } from '../../../lib/logger.js';
import { DOMAIN_STATUS, FRAMEWORK_CODES, LOWER_LAYER_CODES, clientErrorStatus, fallbackCode, isDomainCode } from './codes.js';
import { HttpError, errorBody, statusText, type ErrorBody } from './http-error.js';
import { MethodTable } from './method-table.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the code a schema refusal gets on this route instead of FST_ERR_VALIDATION (e.g. HOTLINE_ERR_BAD_DATE) */
    validationCode?: string;
  }
}

interface Classified {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

const INTERNAL_MESSAGE = 'internal error; the router log has the details under this request id';

type ErrorLike = Partial<FastifyError> & { readonly validation?: unknown };

/** What the answer to this error is. Messages of unexpected errors never reach the client. */
export function classify(err: unknown, request: FastifyRequest | undefined): Classified {
  if (err instanceof HttpError) return { statusCode: err.statusCode, code: err.code, message: err.message, extra: err.extra };
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  if (e.validation !== undefined) {
    return { statusCode: 400, code: request?.routeOptions.config.validationCode ?? 'FST_ERR_VALIDATION', message: e.message ?? 'invalid request' };
  }
  if (isDomainCode(e.code)) {
    const extra = err instanceof AgentOperationError && err.state !== undefined ? { state: err.state } : undefined;
    return { statusCode: DOMAIN_STATUS[e.code], code: e.code, message: e.message ?? e.code, ...(extra === undefined ? {} : { extra }) };
  }
  const lower = e.code === undefined ? undefined : LOWER_LAYER_CODES[e.code];
  if (lower !== undefined) return lower;
  const status = e.statusCode;
  if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599) {
    const code = (e.code === undefined ? undefined : FRAMEWORK_CODES[e.code]) ?? fallbackCode(status);
    // fastify's own messages are written for clients; a library's 5xx message is not.
    const known = e.code !== undefined && FRAMEWORK_CODES[e.code] !== undefined;
    return { statusCode: status, code, message: status < 500 || known ? (e.message ?? code) : INTERNAL_MESSAGE };
  }
  return { statusCode: 500, code: 'HOTLINE_ERR_INTERNAL', message: INTERNAL_MESSAGE };
}

function bodyOf(c: Classified): ErrorBody {
  return errorBody(c.statusCode, c.code, c.message, c.extra);
}

/** Requests whose 5xx the error handler logged already, with its error. */
const logged = new WeakSet<FastifyRequest>();

function logServerError(request: FastifyRequest, c: Classified, err: unknown): void {
  logged.add(request);
  const fields = { err, statusCode: c.statusCode, code: c.code, method: request.method, route: request.routeOptions.url ?? null };
  // A 500 is a bug; a 502/503 a dependency (Redis, FreeSWITCH, the database) that is away.
  if (c.statusCode === 500) request.log.error(fields, 'request failed');
  else request.log.warn(fields, 'request failed: dependency unavailable');
}

export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const c = classify(err, request);
  if (c.statusCode >= 500) logServerError(request, c, err);
  reply.header('x-request-id', request.id);
  if (c.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="hotline-router"');
  return reply.code(c.statusCode).type('application/json; charset=utf-8').send(bodyOf(c));
}

export function installErrorContract(app: FastifyInstance): void {
  const methods = new MethodTable();
  app.addHook('onRoute', (route) => {
    methods.add(route.url, route.method);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));

  app.setNotFoundHandler((request, reply) => {
    const allowed = methods.allowed(request.url);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendError(new HttpError(405, 'HOTLINE_ERR_METHOD_NOT_ALLOWED', `${request.method} is not allowed here (allowed: ${allowed.join(', ')})`), request, reply);
    }
    return sendError(new HttpError(404, 'HOTLINE_ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?', 1)[0] ?? ''}`), request, reply);
  });

  // 5xx answered without an error (a health check's 503): still one line, with the request id.
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 500 || logged.has(request)) return;
    request.log.warn({ statusCode: reply.statusCode, method: request.method, route: request.routeOptions.url ?? null }, 'request answered with a server error');
  });
}

/**
 * Node's HTTP parser refuses some requests before fastify has one (headers too large, not HTTP,
 * too slow to arrive): fastify's `clientErrorHandler`. The answer is written on the raw socket,
 * in the same body shape, unless a response is already under way on it (keep-alive).
 */
export function clientErrorHandler(logger: Logger): (err: NodeJS.ErrnoException, socket: Socket) => void {
  const log = logger.child({ component: 'http' });
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const c = clientErrorStatus(err.code);
    log.debug({ err, statusCode: c.statusCode }, 'client error');
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (socket.writable && !inFlight) {
      const body = JSON.stringify(bodyOf(c));
      socket.write(
        `HTTP/1.1 ${c.statusCode} ${statusText(c.statusCode)}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    // Not destroy(err): that would emit the error again on the socket.
    socket.destroy();
  };
}

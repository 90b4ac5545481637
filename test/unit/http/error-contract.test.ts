/**
 * One error contract: every error the HTTP server can send — a route's refusal, fastify's own
 * 404/405/413/415/400, a malformed URL, a handler past its time, a bug, and what Node's parser
 * refuses before fastify sees a request (431, 408, not HTTP) — is `{ statusCode, code, error,
 * message }` with a stable code, carries its request id, and every 5xx is logged with it.
 */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { HttpError } from '../../../src/adapters/http/errors/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { bearer, fullRouterApp, type FullRouterApp } from '../../support/full-router-app.js';

const ERROR_KEYS = ['code', 'error', 'message', 'statusCode'];

function expectContract(r: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, code: string): Record<string, unknown> {
  expect(r.statusCode).toBe(status);
  const body = r.json() as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(ERROR_KEYS));
  expect(body).toMatchObject({ statusCode: status, code });
  expect(typeof body.message).toBe('string');
  expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  return body;
}

describe('the whole router', () => {
  let full: FullRouterApp;
  beforeAll(async () => { full = await fullRouterApp(); }, 30_000);
  afterAll(async () => { await full.close(); });
  const admin = bearer('admin');

  it('an unknown route: 404 HOTLINE_ERR_NOT_FOUND', async () => {
    expectContract(await full.app.inject({ url: '/api/nothing-here', headers: admin }), 404, 'HOTLINE_ERR_NOT_FOUND');
  });

  it('a known path under another method: 405 HOTLINE_ERR_METHOD_NOT_ALLOWED with Allow', async () => {
    const r = await full.app.inject({ method: 'DELETE', url: '/api/agents/1001', headers: admin });
    expectContract(r, 405, 'HOTLINE_ERR_METHOD_NOT_ALLOWED');
    expect(r.headers.allow).toBe('GET, HEAD');
    const post = await full.app.inject({ method: 'PUT', url: '/api/agents/1001/login', headers: admin });
    expect(post.headers.allow).toBe('POST');
  });

  it('a body over the limit: 413 HOTLINE_ERR_BODY_TOO_LARGE', async () => {
    const r = await full.app.inject({
      method: 'POST', url: '/api/agents/1001/not-ready', headers: { ...admin, 'content-type': 'application/json' },
      payload: JSON.stringify({ reason: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expectContract(r, 413, 'HOTLINE_ERR_BODY_TOO_LARGE');
  });

  it('malformed JSON: 400 HOTLINE_ERR_MALFORMED_JSON; an empty JSON body too', async () => {
    const headers = { ...admin, 'content-type': 'application/json' };
    expectContract(await full.app.inject({ method: 'POST', url: '/api/agents/1001/not-ready', headers, payload: '{"reason":' }), 400, 'HOTLINE_ERR_MALFORMED_JSON');
    expectContract(await full.app.inject({ method: 'POST', url: '/api/agents/1001/not-ready', headers, payload: '' }), 400, 'HOTLINE_ERR_MALFORMED_JSON');
  });

  it('a prototype-poisoning body is refused as a bad request, not obeyed', async () => {
    const r = await full.app.inject({
      method: 'POST', url: '/api/agents/1001/not-ready', headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"reason":"break","__proto__":{"x":1}}',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ code: string }>().code).toMatch(/^HOTLINE_ERR_/);
  });

  it('a content type the route does not read: 415 HOTLINE_ERR_UNSUPPORTED_MEDIA_TYPE', async () => {
    const r = await full.app.inject({ method: 'POST', url: '/api/agents/1001/not-ready', headers: { ...admin, 'content-type': 'application/xml' }, payload: '<reason/>' });
    expectContract(r, 415, 'HOTLINE_ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('a schema refusal: 400 FST_ERR_VALIDATION (or the route\'s own code)', async () => {
    expectContract(await full.app.inject({ url: '/api/route?to=12345&via=x', headers: admin }), 400, 'FST_ERR_VALIDATION');
    expectContract(await full.app.inject({ url: '/api/records?limit=0', headers: admin }), 400, 'HOTLINE_ERR_BAD_QUERY');
    expectContract(await full.app.inject({ url: '/api/reports/daily', headers: admin }), 400, 'HOTLINE_ERR_BAD_DATE');
  });

  it('a date-time the schema format allows but Date cannot hold (a leap second) is a 400, not a 500', async () => {
    expect(Number.isNaN(Date.parse('2016-12-31T23:59:60Z'))).toBe(true);
    expectContract(await full.app.inject({ url: '/api/route?to=12345&at=2016-12-31T23:59:60Z', headers: admin }), 400, 'FST_ERR_VALIDATION');
    expect((await full.app.inject({ url: '/api/route?to=12345&at=2016-12-31T23:59:59Z', headers: admin })).statusCode).toBe(200);
  });

  it.each([
    ['/api/audit?limit=-Infinity', 'HOTLINE_ERR_BAD_QUERY'],
    ['/api/calls/recent?limit=Infinity', 'FST_ERR_VALIDATION'],
    ['/api/records?limit=1e400', 'HOTLINE_ERR_BAD_QUERY'],
    ['/api/departments/transport/feed?after=1e400', 'FST_ERR_VALIDATION'],
  ])('a number ajv coerces to Infinity and then lets through (%s) is a 400, not a 500', async (url, code) => {
    const r = await full.app.inject({ url, headers: admin });
    expect(expectContract(r, 400, code).message).toMatch(/must be a finite number/);
  });

  it('a malformed URL escape: 400 HOTLINE_ERR_BAD_URL', async () => {
    expectContract(await full.app.inject({ url: '/api/agents/%E0%A4%A', headers: admin }), 400, 'HOTLINE_ERR_BAD_URL');
  });

  it('a domain refusal is mapped in one place, with its documented extra field', async () => {
    expectContract(await full.app.inject({ url: '/api/agents/nobody', headers: admin }), 404, 'HOTLINE_ERR_UNKNOWN_AGENT');
    const r = await full.app.inject({ method: 'POST', url: '/api/agents/1002/ready', headers: admin });
    expect(expectContract(r, 409, 'HOTLINE_ERR_AGENT_STATE')).toMatchObject({ state: 'logged-out' });
  });

  it('transfers without FreeSWITCH: 503 HOTLINE_ERR_TRANSFERS_UNAVAILABLE, logged with the request id', async () => {
    const r = await full.app.inject({ url: '/api/transfer-targets', headers: admin });
    expectContract(r, 503, 'HOTLINE_ERR_TRANSFERS_UNAVAILABLE');
    const line = full.logs.find((l) => l.reqId === r.headers['x-request-id']);
    expect(line).toMatchObject({ msg: 'request failed: dependency unavailable', statusCode: 503, err: { type: 'HttpError' } });
  });

  it('every GET route answers HEAD, the event stream at once with its headers and no body', async () => {
    for (const url of ['/health', '/board', '/api/stats', '/api/queues']) {
      const r = await full.app.inject({ method: 'HEAD', url, headers: admin });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toBe('');
    }
    const stream = await full.app.inject({ method: 'HEAD', url: '/api/stream', headers: admin });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.body).toBe('');
  });
});

describe('5xx: logged with the error and the request id; the body says nothing of the cause', () => {
  let app: FastifyInstance;
  const logs: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const destination = new Writable({ write(chunk: Buffer, _e, done) { logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
    app = await buildApp({
      logger: createLogger({ level: 'info', destination }), health: [{ name: 'db', check: () => ({ state: 'down' }) }],
      timeouts: { handlerMs: 100, requestMs: 60_000 },
      // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
      plugins: [async (a) => {
        a.get('/bug', () => { throw new TypeError('secret internals: cannot read x of undefined'); });
        a.get('/away', () => { throw new HttpError(503, 'HOTLINE_ERR_RECORDS_UNAVAILABLE', 'the records database is unreachable; try again', {}, { cause: new Error('ECONNREFUSED') }); });
        a.get('/slow', async () => { await new Promise((r) => setTimeout(r, 1_000)); return { late: true }; });
      }],
    });
  });
  afterAll(async () => { await app.close(); });
  afterEach(() => { logs.length = 0; });

  it('a bug: 500 HOTLINE_ERR_INTERNAL, its message not in the body, logged at error with err and reqId', async () => {
    const r = await app.inject({ url: '/bug' });
    const body = expectContract(r, 500, 'HOTLINE_ERR_INTERNAL');
    expect(JSON.stringify(body)).not.toContain('secret');
    const line = logs.find((l) => l.reqId === r.headers['x-request-id']);
    expect(line).toMatchObject({ level: 50, msg: 'request failed', statusCode: 500, route: '/bug', err: { type: 'TypeError', message: expect.stringContaining('secret') as unknown } });
  });

  it('a dependency away: 503 with its code, logged with the error and its cause', async () => {
    const r = await app.inject({ url: '/away' });
    expectContract(r, 503, 'HOTLINE_ERR_RECORDS_UNAVAILABLE');
    expect(logs.find((l) => l.reqId === r.headers['x-request-id'])).toMatchObject({ level: 40, err: { message: expect.stringContaining('records') as unknown } });
    expect(JSON.stringify(logs)).toContain('ECONNREFUSED');
  });

  it('a handler past its time: 503 HOTLINE_ERR_TIMEOUT, logged', async () => {
    const started = Date.now();
    const r = await app.inject({ url: '/slow' });
    expect(Date.now() - started).toBeLessThan(900);
    expectContract(r, 503, 'HOTLINE_ERR_TIMEOUT');
    expect(logs.find((l) => l.reqId === r.headers['x-request-id'])).toMatchObject({ statusCode: 503, err: { code: 'FST_ERR_HANDLER_TIMEOUT' } });
  });

  it('a 5xx answered without an error (health down) is logged too', async () => {
    const r = await app.inject({ url: '/health' });
    expect(r.statusCode).toBe(503);
    expect(logs.find((l) => l.reqId === r.headers['x-request-id'])).toMatchObject({ statusCode: 503, route: '/health', msg: 'request answered with a server error' });
  });
});

describe('what Node refuses before fastify has a request: answered in the same shape on the socket', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = await buildApp({ logger: createLogger({ level: 'silent' }), health: [], timeouts: { handlerMs: 30_000, requestMs: 400 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => { await app.close(); });

  /** Writes raw bytes, reads until the server closes the connection. */
  function raw(bytes: string, timeoutMs = 5_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let got = '';
      const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no close within ${timeoutMs} ms; got ${JSON.stringify(got)}`)); }, timeoutMs);
      socket.on('data', (d: Buffer) => { got += d.toString(); });
      socket.on('error', () => undefined);
      socket.on('close', () => { clearTimeout(timer); resolve(got); });
      socket.write(bytes);
    });
  }

  function parse(response: string): { status: number; body: Record<string, unknown> } {
    const [head = '', body = ''] = response.split('\r\n\r\n', 2);
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: JSON.parse(body) as Record<string, unknown> };
  }

  it('headers too large: 431 HOTLINE_ERR_HEADERS_TOO_LARGE', async () => {
    const r = parse(await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(r.status).toBe(431);
    expect(r.body).toEqual({ statusCode: 431, code: 'HOTLINE_ERR_HEADERS_TOO_LARGE', error: 'Request Header Fields Too Large', message: expect.any(String) as unknown });
  });

  it('not HTTP: 400 HOTLINE_ERR_MALFORMED_REQUEST', async () => {
    const r = parse(await raw('HELLO THERE\r\n\r\n'));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ statusCode: 400, code: 'HOTLINE_ERR_MALFORMED_REQUEST', error: 'Bad Request' });
  });

  it('a request that never finishes arriving: 408 HOTLINE_ERR_REQUEST_TIMEOUT', async () => {
    const started = Date.now();
    const r = parse(await raw('GET /health HTTP/1.1\r\nHost: x\r\n'));
    expect(r.status).toBe(408);
    expect(r.body).toMatchObject({ statusCode: 408, code: 'HOTLINE_ERR_REQUEST_TIMEOUT', error: 'Request Timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('a well-formed request on the same server still works', async () => {
    const r = await raw('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(r).toMatch(/^HTTP\/1\.1 200 /);
  });
});

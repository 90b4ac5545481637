/**
 * Property-based fuzzing of every route of the whole router (buildRouter, never listening) through
 * inject(): path parameters, query strings, bodies, content types and tokens drawn from each
 * route's own schemas, their edges and garbage. Whatever arrives: no 500 (the only 5xx allowed is
 * the documented 503 of transfers without FreeSWITCH), no crash, every error in the one body shape,
 * every JSON success as its response schema says, and each answer within a bound.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../../src/adapters/http/openapi.js';
import { errorSchema } from '../../../src/adapters/http/schemas.js';
import { CONTENT_TYPES, jsonFor, queryFor, stringFor } from '../../support/request-arbitraries.js';
import { ROLE_TOKENS, fullRouterApp, type FullRouterApp } from '../../support/full-router-app.js';

/** Runs per route (FUZZ_RUNS to go deeper locally). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
/** An answer slower than this is a finding: every route answers from memory or the embedded file. */
const ANSWER_BOUND_MS = 1_000;
/** Documented: transfers need FreeSWITCH's inbound ESL, which this router does not have. */
const ALLOWED_5XX = new Set(['HOTLINE_ERR_TRANSFERS_UNAVAILABLE']);

/** Values the router knows, so some requests get past "unknown" into the handlers. */
const PARAM_HINTS: Readonly<Record<string, readonly string[]>> = {
  id: ['1001', '1002', '1003', 'transport', 'market-regulation', 'nobody'],
  callSid: ['c-1', 'call-unknown'],
  file: ['index.html', 'board.js', 'board.css', 'nope.js'],
};
const QUERY_HINTS: Readonly<Record<string, readonly string[]>> = {
  to: ['12345', '12328', '110', '999'], line: ['12328', '12345'], queue: ['general'], agent: ['1001'],
  date: ['2026-03-10', '2026-02-29'], token: [ROLE_TOKENS.supervisor, 'bogus-token'],
};

const WHO = fc.oneof(
  { weight: 6, arbitrary: fc.constant('admin') },
  { weight: 3, arbitrary: fc.constantFrom('supervisor', 'agent', 'department') },
  { weight: 1, arbitrary: fc.constantFrom('none', 'bogus', 'malformed') },
);
const tokenHeader = (who: string): Record<string, string> => {
  if (who === 'none') return {};
  if (who === 'bogus') return { authorization: 'Bearer not-a-token-anyone-has' };
  if (who === 'malformed') return { authorization: 'Basic Zm9vOmJhcg==' };
  return { authorization: `Bearer ${ROLE_TOKENS[who as keyof typeof ROLE_TOKENS]}` };
};

interface Drawn {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string;
}

const methodsOf = (r: RouteOptions): string[] => (typeof r.method === 'string' ? [r.method] : [...r.method]);
type Schema = Readonly<Record<string, unknown>>;

function requestFor(route: RouteOptions, method: string): fc.Arbitrary<Drawn> {
  const schema = (route.schema ?? {}) as Record<string, Schema | undefined>;
  const paramNames = (route.url.match(/:(\w+)/g) ?? []).map((p) => p.slice(1));
  const paramProps = (schema.params?.properties ?? {}) as Record<string, Schema>;
  const params = fc.tuple(...paramNames.map((n) => stringFor(paramProps[n], PARAM_HINTS[n] ?? [])));
  const body = method === 'POST'
    ? fc.oneof(
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 4, arbitrary: jsonFor(schema.body).map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    )
    : fc.constant(undefined);
  const contentType = fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
  const extraHeaders = fc.dictionary(fc.constantFrom('accept', 'x-request-id', 'accept-encoding', 'x-forwarded-for', 'if-none-match', 'range'), fc.string({ maxLength: 30 }).filter((v) => /^[\t\x20-\x7e]*$/.test(v)), { maxKeys: 2 });
  return fc.tuple(params, queryFor(schema.querystring, QUERY_HINTS), body, contentType, WHO, extraHeaders).map(([ps, query, payload, type, who, extra]) => {
    let path = route.url;
    paramNames.forEach((n, i) => { path = path.replace(`:${n}`, encodeURIComponent(ps[i] ?? '')); });
    const headers: Record<string, string> = { ...extra, ...tokenHeader(who) };
    if (payload !== undefined && type !== '') headers['content-type'] = type;
    return { method, url: `${path}${query}`, headers, ...(payload === undefined ? {} : { payload }) };
  });
}

/** The route's JSON success schema, if it answers JSON. */
function jsonSuccessSchema(route: RouteOptions): Schema | undefined {
  const response = ((route.schema ?? {}) as { response?: Record<string, Schema> }).response ?? {};
  const ok = response['200'];
  if (ok === undefined) return undefined;
  const content = ok.content as Record<string, { schema: Schema }> | undefined;
  return content === undefined ? ok : content['application/json']?.schema;
}

let full: FullRouterApp;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(errorSchema);
const validateError = ajv.getSchema(`${errorSchema.$id}#`) ?? ajv.compile(errorSchema);

beforeAll(async () => { full = await fullRouterApp(); }, 30_000);
afterAll(async () => { await full.close(); });

describe('route fuzzing (fast-check over every route\'s inputs)', () => {
  it('covers every route of the router', () => {
    expect(registeredRoutes(full.app).length).toBeGreaterThan(25);
  });

  it('every route, every method: no 500, no crash, the error body on every error, the success schema on every JSON success, bounded time', async () => {
    const findings: string[] = [];
    let requests = 0;
    for (const route of registeredRoutes(full.app)) {
      const successSchema = jsonSuccessSchema(route);
      const validateSuccess: ValidateFunction | undefined = successSchema === undefined ? undefined : ajv.compile(successSchema);
      for (const method of methodsOf(route)) {
        // An accepted GET of the event stream never ends by design (metrics-stream.test.ts drives it); HEAD is fuzzed.
        if (route.url === '/api/stream' && method === 'GET') continue;
        await fc.assert(fc.asyncProperty(requestFor(route, method), async (req) => {
          requests += 1;
          const started = performance.now();
          const r = await full.app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload === undefined ? {} : { payload: req.payload }) });
          const took = performance.now() - started;
          const what = `${req.method} ${req.url.slice(0, 120)} → ${r.statusCode}`;
          if (took > ANSWER_BOUND_MS) throw new Error(`${what}: took ${Math.round(took)} ms`);
          if (req.method === 'HEAD') {
            if (r.body !== '') throw new Error(`${what}: a body to HEAD`);
            if (r.statusCode < 500) return;
            // HEAD carries no body to read the code from: the same request as GET must be an allowed 5xx.
            const get = await full.app.inject({ method: 'GET', url: req.url, headers: req.headers });
            if (get.statusCode !== r.statusCode || !ALLOWED_5XX.has(get.json<{ code?: string }>().code ?? '')) throw new Error(`${what}: ${get.body.slice(0, 300)}`);
            return;
          }
          const type = String(r.headers['content-type'] ?? '');
          if (r.statusCode >= 400) {
            if (!type.startsWith('application/json')) throw new Error(`${what}: error as ${type}`);
            const body = r.json<{ code?: string }>();
            if (!validateError(body)) throw new Error(`${what}: error body ${r.body.slice(0, 200)} ${ajv.errorsText(validateError.errors)}`);
            if (r.statusCode >= 500 && !ALLOWED_5XX.has(body.code ?? '')) throw new Error(`${what}: ${r.body.slice(0, 300)}`);
          } else if (validateSuccess !== undefined && type.startsWith('application/json')) {
            if (!validateSuccess(r.json())) throw new Error(`${what}: answer not as its schema says: ${ajv.errorsText(validateSuccess.errors)}`);
          }
        }), { numRuns: RUNS }).catch((err: unknown) => { findings.push(`${method} ${route.url}: ${(err as Error).message.split('\n').slice(0, 6).join(' | ')}`); });
      }
    }
    expect(findings).toEqual([]);
    expect(requests).toBeGreaterThan(RUNS * 25);
    // Every 500 would have been logged at error level: none was.
    expect(full.logs.filter((l) => l.level === 50)).toEqual([]);
  }, 300_000);
});

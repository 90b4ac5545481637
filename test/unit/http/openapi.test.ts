/**
 * The OpenAPI document is generated from the route schemas of the whole router: every route is
 * in it, declares what it takes (path parameters, a body where it reads one) and what it answers
 * (a 2xx and the error body), the document is valid OpenAPI, and only admins may read it.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../../src/adapters/http/openapi.js';
import { bearer, fullRouterApp, type FullRouterApp } from '../../support/full-router-app.js';

let full: FullRouterApp;
beforeAll(async () => { full = await fullRouterApp(); }, 30_000);
afterAll(async () => { await full.close(); });

const methodsOf = (r: RouteOptions): string[] => (typeof r.method === 'string' ? [r.method] : [...r.method]);
/** HEAD routes are fastify's copies of GET routes (exposeHeadRoutes): the GET carries the schema. */
const documented = (): RouteOptions[] => registeredRoutes(full.app).filter((r) => !methodsOf(r).every((m) => m === 'HEAD'));

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: unknown; responses: Record<string, unknown> }>>;
}

async function openApi(): Promise<OpenApiDoc> {
  const r = await full.app.inject({ url: '/api/openapi.json', headers: bearer('admin') });
  expect(r.statusCode).toBe(200);
  return r.json<OpenApiDoc>();
}

describe('OpenAPI from the route schemas', () => {
  it('the router has its routes (a sanity floor: agents, records, transfers, stats, board…)', () => {
    const urls = new Set(documented().map((r) => r.url));
    for (const u of ['/health', '/api/agents/:id/not-ready', '/api/records/:callSid', '/api/calls/:callSid/transfer', '/api/stream', '/board/:file', '/api/departments/:id/feed', '/api/openapi.json']) {
      expect(urls, u).toContain(u);
    }
  });

  it('every route declares its path parameters, its body where it reads one, a 2xx answer and the error body', () => {
    const problems: string[] = [];
    for (const r of documented()) {
      const name = `${methodsOf(r).join(',')} ${r.url}`;
      const schema = r.schema ?? {};
      if (r.url.includes(':') && schema.params === undefined) problems.push(`${name}: no params schema`);
      const response = (schema.response ?? {}) as Record<string, unknown>;
      if (!Object.keys(response).some((k) => /^2\d\d$/.test(k))) problems.push(`${name}: no 2xx response schema`);
      if (response['4xx'] === undefined || response['5xx'] === undefined) problems.push(`${name}: no error response schema`);
    }
    // A handler that reads a body must say what it reads: the body-taking POSTs of the API.
    for (const url of ['/api/agents/:id/not-ready', '/api/calls/:callSid/transfer']) {
      const post = documented().find((r) => r.url === url && methodsOf(r).includes('POST'));
      if (post?.schema?.body === undefined) problems.push(`POST ${url}: no body schema`);
    }
    expect(problems).toEqual([]);
  });

  it('every route is in the served document, with its parameters', async () => {
    const doc = await openApi();
    const missing: string[] = [];
    for (const r of documented()) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      for (const m of methodsOf(r)) {
        const op = doc.paths[path]?.[m.toLowerCase()];
        if (op === undefined) {
          missing.push(`${m} ${path}`);
          continue;
        }
        for (const p of r.url.match(/:(\w+)/g) ?? []) {
          if (!op.parameters?.some((x) => x.in === 'path' && x.name === p.slice(1))) missing.push(`${m} ${path}: path parameter ${p}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('the served document is valid OpenAPI 3', async () => {
    const doc = await openApi();
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\./);
  });

  it.each([
    ['supervisor', 403], ['agent', 403], ['department', 403],
  ] as const)('a %s token may not read it (%i)', async (role, status) => {
    const r = await full.app.inject({ url: '/api/openapi.json', headers: bearer(role) });
    expect(r.statusCode).toBe(status);
    expect(r.json()).toMatchObject({ statusCode: status, code: 'HOTLINE_ERR_FORBIDDEN' });
  });

  it('without a token: 401', async () => {
    const r = await full.app.inject({ url: '/api/openapi.json' });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'HOTLINE_ERR_UNAUTHENTICATED' });
  });
});

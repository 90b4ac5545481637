/**
 * The access tests' app: the real route plugins behind the access plugin, a small city with two
 * departments' lines (12328 transport, 12315 market), one token per role, and the log lines
 * captured as objects.
 */
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { buildApp } from '../../../src/adapters/http/app.js';
import { accessControlFromTokens } from '../../../src/adapters/http/auth/index.js';
import { agentRoutes } from '../../../src/adapters/http/routes/agents.js';
import { dryRunRoutes } from '../../../src/adapters/http/routes/dry-run.js';
import { queueRoutes } from '../../../src/adapters/http/routes/queues.js';
import type { Registry } from '../../../src/config/schema.js';
import { buildRoutingTable } from '../../../src/core/routing/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import type { TokenEntry } from '../../../src/settings/access.js';
import { harness, smallCity, type Harness } from '../acd-service/harness.js';

export const T = {
  admin: 'admin-token-0123456789',
  supervisor: 'supervisor-token-012345',
  supervisorFull: 'supervisor-full-token-01',
  agentG1: 'agent-g1-token-0123456789',
  transport: 'dept-transport-token-0123',
  market: 'dept-market-token-0123456',
} as const;
export type Who = keyof typeof T | 'none' | 'bogus';

export const TOKENS: readonly TokenEntry[] = [
  { token: T.admin, role: 'admin', name: 'ops-admin' },
  { token: T.supervisor, role: 'supervisor', name: 'shift-lead' },
  { token: T.supervisorFull, role: 'supervisor', name: 'duty-chief', canSeeCallerNumbers: true },
  { token: T.agentG1, role: 'agent', name: 'desk-g1', agentId: 'g1' },
  { token: T.transport, role: 'department', name: 'transport-bureau', department: 'transport' },
  { token: T.market, role: 'department', name: 'market-bureau', department: 'market' },
];

export function cityWithDepartments(): Registry {
  const r = smallCity();
  r.lines = [
    { number: '12328', name: '交通运输服务监督热线', mode: 'dual', priority: 0, queue: 'general', department: 'transport' },
    { number: '12315', name: '市场监管投诉举报热线', mode: 'dual', priority: 0, queue: 'general', department: 'market' },
  ];
  return r;
}

export interface Fixture { h: Harness; app: FastifyInstance; logs: Record<string, unknown>[] }

export async function fixture(): Promise<Fixture> {
  const registry = cityWithDepartments();
  const h = await harness({ registry });
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) { logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); },
  });
  const logger = createLogger({ level: 'info', destination });
  const access = accessControlFromTokens(TOKENS, { registry, logger });
  const table = buildRoutingTable(registry);
  const app = await buildApp({
    logger, health: [],
    plugins: [access.plugin, dryRunRoutes(() => table, () => h.clock.now()), agentRoutes(h.acd), queueRoutes(h.acd)],
  });
  return { h, app, logs };
}

export function headers(who: Who): Record<string, string> {
  if (who === 'none') return {};
  return { authorization: `Bearer ${who === 'bogus' ? 'not-a-known-token-at-all' : T[who]}` };
}

export async function closeFixture(f: Fixture): Promise<void> {
  await f.app.close();
  await f.h.acd.stop();
}

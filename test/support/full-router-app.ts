/**
 * The whole router as `hotline serve` builds it (buildRouter over the example registry, the
 * embedded records file, no FreeSWITCH), its HTTP app never listening: tests drive it with
 * inject(). One token per role; the log lines are kept as objects.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadRegistryFile } from '../../src/config/load.js';
import { buildRouter, type Router } from '../../src/compose/router.js';
import { createLogger } from '../../src/lib/logger.js';
import { settingsFromEnv } from '../../src/settings/settings.js';

export const ROLE_TOKENS = {
  admin: 'full-app-admin-token-0123456789',
  supervisor: 'full-app-supervisor-token-0123',
  agent: 'full-app-agent-1001-token-0123',
  department: 'full-app-dept-transport-token-01',
} as const;
export type RoleName = keyof typeof ROLE_TOKENS;

export interface FullRouterApp {
  readonly app: FastifyInstance;
  readonly router: Router;
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function fullRouterApp(): Promise<FullRouterApp> {
  const dir = await mkdtemp(join(tmpdir(), 'hotline-full-app-'));
  const tokensFile = join(dir, 'tokens.yaml');
  await writeFile(tokensFile, [
    `- { token: "${ROLE_TOKENS.admin}", role: admin, name: ops }`,
    `- { token: "${ROLE_TOKENS.supervisor}", role: supervisor, name: lead }`,
    `- { token: "${ROLE_TOKENS.agent}", role: agent, agentId: "1001", name: desk-1001 }`,
    `- { token: "${ROLE_TOKENS.department}", role: department, department: transport, name: transport }`,
  ].join('\n'));
  const loaded = await loadRegistryFile('config/hotline.example.yaml');
  if (!loaded.ok) throw new Error('the example registry must load');
  const settings = settingsFromEnv({
    HTTP_PORT: '0', OUTBOUND_HOST: '127.0.0.1', OUTBOUND_PORT: '0', LOG_LEVEL: 'info',
    RECORDS_FILE: join(dir, 'records.db'), REPORTS_DIR: join(dir, 'reports'), PROMPTS_DIR: join(dir, 'prompts'),
  });
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const router = await buildRouter(settings, { tokensFile }, loaded.registry, createLogger({ level: 'info', destination }), undefined);
  await router.app.ready();
  return {
    app: router.app, router, logs,
    async close() {
      await router.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function bearer(role: RoleName): Record<string, string> {
  return { authorization: `Bearer ${ROLE_TOKENS[role]}` };
}

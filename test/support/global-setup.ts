// Shared servers for the whole run, started here so that every suite talks to real parts; each
// one is optional and says when it is absent. PostgreSQL: one throwaway server per run, its URL
// handed to the tests as inject('postgresUrl') ('' when not installed); each suite creates its
// own database on it.
import type { TestProject } from 'vitest/node';
import { postgresInstalled, startPostgresServer, type PostgresServer } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: PostgresServer | null = null;
  if (postgresInstalled()) server = await startPostgresServer();
  project.provide('postgresUrl', server?.url ?? '');
  return async () => {
    await server?.stop();
  };
}

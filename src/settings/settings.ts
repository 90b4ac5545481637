/**
 * Process settings come from the environment, are validated once against a schema, then frozen
 * (fastify's way with options). The registry file holds the hotline itself; this holds where the
 * router listens and what it talks to.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { resolve } from 'node:path';
import { LimitSettingsFields, limitsFromEnv } from './limits.js';

export const STOCK_ESL_PASSWORD = 'ClueCon';

export const Settings = Type.Object({
  registryPath: Type.String({ minLength: 1 }),
  httpHost: Type.String({ minLength: 1 }),
  httpPort: Type.Integer({ minimum: 0, maximum: 65535 }),
  devMode: Type.Boolean(),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  eslHost: Type.String({ minLength: 1 }),
  eslPort: Type.Integer({ minimum: 1, maximum: 65535 }),
  eslPassword: Type.Optional(Type.String({ minLength: 1 })),
  /** Which FreeSWITCH nodes get an inbound ESL link: `host` = ESL_HOST alone; `registry` = every node of the registry's `nodes:`. */
  eslNodes: Type.Union([Type.Literal('host'), Type.Literal('registry')]),
  outboundHost: Type.String({ minLength: 1 }),
  outboundPort: Type.Integer({ minimum: 0, maximum: 65535 }),
  redisUrl: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  /** Where `hotline prompts` rendered the WAVs; FreeSWITCH reads them, so an absolute path. */
  promptsDir: Type.String({ minLength: 1, pattern: '^/' }),
  /** On SIGTERM, how long calls in progress may take to finish before the process exits. */
  drainSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
  /** Daily reports written before the records database, as YYYY-MM-DD.json (still served). */
  reportsDir: Type.String({ minLength: 1 }),
  /** Load shedding: new calls go to the dialplan fallback past these marks (0 = that mark off). */
  shedFreeswitchSessionsPercent: Type.Integer({ minimum: 0, maximum: 100 }),
  /** Accepted calls per second; 'auto' = half FreeSWITCH's sessions-per-second. */
  shedCallsPerSecond: Type.Union([Type.Literal('auto'), Type.Integer({ minimum: 0, maximum: 100_000 })]),
  shedEventLoopDelayMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
  /** PostgreSQL for the records, shared by every router node; unset = the embedded file. */
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** The embedded records database (one node). */
  recordsFile: Type.String({ minLength: 1 }),
  /** With PostgreSQL: records not yet stored there wait in this local file (one per node). */
  recordsJournal: Type.String({ minLength: 1 }),
  ...LimitSettingsFields,
});
export type Settings = Readonly<Static<typeof Settings>>;

export class SettingsError extends Error {
  readonly code = 'HOTLINE_ERR_SETTINGS';
}

export type Env = Readonly<Record<string, string | undefined>>;

/** A whole-number variable, or its default when unset or empty; anything else names the variable. */
export function integer(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw)) throw new SettingsError(`${name}=${raw}: expected a whole number`);
  return Number(raw);
}

export function settingsFromEnv(env: Env): Settings {
  const candidate = {
    registryPath: env.HOTLINE_REGISTRY ?? 'config/hotline.example.yaml',
    httpHost: env.HTTP_HOST ?? '127.0.0.1',
    httpPort: integer(env, 'HTTP_PORT', 8080),
    devMode: env.HOTLINE_DEV === '1' || env.HOTLINE_DEV === 'true',
    logLevel: env.LOG_LEVEL ?? 'info',
    eslHost: env.ESL_HOST ?? '127.0.0.1',
    eslPort: integer(env, 'ESL_PORT', 8021),
    eslPassword: env.ESL_PASSWORD === '' ? undefined : env.ESL_PASSWORD,
    eslNodes: env.ESL_NODES === undefined || env.ESL_NODES === '' ? 'host' : env.ESL_NODES,
    outboundHost: env.OUTBOUND_HOST ?? '127.0.0.1',
    outboundPort: integer(env, 'OUTBOUND_PORT', 8084),
    redisUrl: env.REDIS_URL === '' ? undefined : env.REDIS_URL,
    promptsDir: resolve(env.PROMPTS_DIR ?? 'prompts'),
    drainSeconds: integer(env, 'DRAIN_SECONDS', 60),
    reportsDir: env.REPORTS_DIR ?? 'data/reports',
    shedFreeswitchSessionsPercent: integer(env, 'SHED_FREESWITCH_SESSIONS_PERCENT', 90),
    shedCallsPerSecond: env.SHED_CALLS_PER_SECOND === undefined || env.SHED_CALLS_PER_SECOND === '' || env.SHED_CALLS_PER_SECOND === 'auto'
      ? 'auto' as const : integer(env, 'SHED_CALLS_PER_SECOND', 0),
    shedEventLoopDelayMs: integer(env, 'SHED_EVENT_LOOP_DELAY_MS', 500),
    databaseUrl: env.DATABASE_URL === '' ? undefined : env.DATABASE_URL,
    recordsFile: env.RECORDS_FILE ?? 'data/records.db',
    recordsJournal: env.RECORDS_JOURNAL ?? 'data/records-journal.jsonl',
    ...limitsFromEnv((name, fallback) => integer(env, name, fallback)),
  };
  if (candidate.eslPassword === undefined) delete candidate.eslPassword;
  if (candidate.redisUrl === undefined) delete candidate.redisUrl;
  if (candidate.databaseUrl === undefined) delete candidate.databaseUrl;
  const errors = [...Value.Errors(Settings, candidate)];
  if (errors.length > 0) {
    throw new SettingsError(errors.map((e) => `${e.path.slice(1) || 'settings'}: ${e.message}`).join('; '));
  }
  if (candidate.eslPassword === STOCK_ESL_PASSWORD && !candidate.devMode) {
    throw new SettingsError(
      'ESL_PASSWORD is FreeSWITCH\'s stock "ClueCon": set a password of your own in event_socket.conf.xml ' +
      'and ESL_PASSWORD, or start with HOTLINE_DEV=1 on a development machine',
    );
  }
  return Object.freeze(candidate as Static<typeof Settings>);
}

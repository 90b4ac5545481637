/**
 * `hotline edge` settings, from the environment like the router's. The registry holds the
 * trunks and FreeSWITCH nodes; this holds where the edge's drachtio-server is and its timings.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SettingsError, integer, type Env } from './settings.js';

/** drachtio-server's stock shared secret: fine on a laptop, never in production. */
export const STOCK_DRACHTIO_SECRET = 'cymru';

export const EdgeSettings = Type.Object({
  registryPath: Type.String({ minLength: 1 }),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  devMode: Type.Boolean(),
  drachtioHost: Type.String({ minLength: 1 }),
  drachtioPort: Type.Integer({ minimum: 1, maximum: 65535 }),
  drachtioSecret: Type.String({ minLength: 1 }),
  httpHost: Type.String({ minLength: 1 }),
  httpPort: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** A node that has not answered an INVITE provisionally by then is passed over for the next. */
  inviteTimeoutMs: Type.Integer({ minimum: 100, maximum: 32_000 }),
  /** The last node left to try: the bound on waiting for its answer (never unbounded: each call holds a cap slot). */
  lastNodeTimeoutMs: Type.Integer({ minimum: 100, maximum: 180_000 }),
  keepAliveMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
  /** On SIGTERM: new INVITEs get 503 at once; calls in progress may go on this long. */
  drainSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }),
  /** Nodes an operator takes out of rotation (maintenance): no new call goes to them. */
  drainNodes: Type.Array(Type.String({ minLength: 1 })),
  /** Agents' SIP passwords (not in the registry); unset: the edge takes no REGISTER. */
  agentSecretsFile: Type.Optional(Type.String({ minLength: 1 })),
  sipRealm: Type.String({ pattern: '^[A-Za-z0-9.-]{1,64}$' }),
  registerMinExpires: Type.Integer({ minimum: 10, maximum: 3600 }),
  registerMaxExpires: Type.Integer({ minimum: 60, maximum: 86_400 }),
  /** REGISTERs one source address may send per minute; past it, 403 without a challenge. */
  registersPerMinute: Type.Integer({ minimum: 1, maximum: 100_000 }),
  /** Registrations shared by several edges; unset: in this process's memory. */
  redisUrl: Type.Optional(Type.String({ minLength: 1 })),
  /** The router's API tokens file: /metrics wants an admin or supervisor token from it. */
  tokensFile: Type.Optional(Type.String({ minLength: 1 })),
});
export type EdgeSettings = Readonly<Static<typeof EdgeSettings>>;


export function edgeSettingsFromEnv(env: Env): EdgeSettings {
  const devMode = env.HOTLINE_DEV === '1' || env.HOTLINE_DEV === 'true';
  const candidate = {
    registryPath: env.HOTLINE_REGISTRY ?? 'config/hotline.example.yaml',
    logLevel: env.LOG_LEVEL ?? 'info',
    devMode,
    drachtioHost: env.DRACHTIO_HOST ?? '127.0.0.1',
    drachtioPort: integer(env, 'DRACHTIO_PORT', 9022),
    drachtioSecret: env.DRACHTIO_SECRET ?? '',
    httpHost: env.EDGE_HTTP_HOST ?? '127.0.0.1',
    httpPort: integer(env, 'EDGE_HTTP_PORT', 8090),
    inviteTimeoutMs: integer(env, 'EDGE_INVITE_TIMEOUT_MS', 2000),
    lastNodeTimeoutMs: integer(env, 'EDGE_LAST_NODE_TIMEOUT_MS', 30_000),
    keepAliveMs: integer(env, 'EDGE_KEEPALIVE_MS', 5000),
    drainSeconds: integer(env, 'EDGE_DRAIN_SECONDS', 60),
    drainNodes: (env.EDGE_DRAIN_NODES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    ...(env.EDGE_AGENT_SECRETS_FILE === undefined || env.EDGE_AGENT_SECRETS_FILE === '' ? {} : { agentSecretsFile: env.EDGE_AGENT_SECRETS_FILE }),
    sipRealm: env.EDGE_SIP_REALM ?? 'hotline',
    registerMinExpires: integer(env, 'EDGE_REGISTER_MIN_EXPIRES', 60),
    registerMaxExpires: integer(env, 'EDGE_REGISTER_MAX_EXPIRES', 3600),
    registersPerMinute: integer(env, 'EDGE_REGISTERS_PER_MINUTE', 60),
    ...(env.REDIS_URL === undefined || env.REDIS_URL === '' ? {} : { redisUrl: env.REDIS_URL }),
    ...(env.HOTLINE_TOKENS_FILE === undefined || env.HOTLINE_TOKENS_FILE === '' ? {} : { tokensFile: env.HOTLINE_TOKENS_FILE }),
  };
  const errors = [...Value.Errors(EdgeSettings, candidate)];
  if (errors.length > 0) {
    const pathOf = (p: string): string => (p.slice(1) === 'drachtioSecret' ? 'DRACHTIO_SECRET (the secret of drachtio.conf.xml)' : p.slice(1) || 'settings');
    throw new SettingsError(errors.map((e) => `${pathOf(e.path)}: ${e.message}`).join('; '));
  }
  if (candidate.registerMinExpires > candidate.registerMaxExpires) {
    throw new SettingsError('EDGE_REGISTER_MIN_EXPIRES is above EDGE_REGISTER_MAX_EXPIRES: no phone could register');
  }
  if (candidate.lastNodeTimeoutMs < candidate.inviteTimeoutMs) {
    throw new SettingsError('EDGE_LAST_NODE_TIMEOUT_MS is below EDGE_INVITE_TIMEOUT_MS: the last node would be given up on sooner than any other');
  }
  if (candidate.drachtioSecret === STOCK_DRACHTIO_SECRET && !devMode) {
    throw new SettingsError('DRACHTIO_SECRET is drachtio-server\'s stock "cymru": set a secret of your own, or start with HOTLINE_DEV=1 on a development machine');
  }
  return Object.freeze(candidate);
}

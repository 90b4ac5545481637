/**
 * Bounds on what comes from outside (a registry file, FreeSWITCH sockets, HTTP clients, webhook
 * receivers, wrong tokens): each one a named setting with a default that real use never reaches
 * and an attacker or a broken peer soon does. Part of Settings; kept here so the list reads as one.
 */
import { Type } from '@sinclair/typebox';

const KiB = 1024;
const MiB = 1024 * KiB;

const bytes = (min: number, max: number) => Type.Integer({ minimum: min, maximum: max });

export const LimitSettingsFields = {
  /** Largest registry file read (a real one is tens of KiB; the YAML library needs seconds per MiB of garbage). */
  registryMaxBytes: bytes(1 * KiB, 256 * MiB),
  /** YAML aliases (`*name`) in the registry; also the `yaml` library's maxAliasCount on expansion. */
  registryMaxAliases: Type.Integer({ minimum: 0, maximum: 100_000 }),
  /** Nesting depth of the registry's YAML collections (a real one is under 10). */
  registryMaxDepth: Type.Integer({ minimum: 4, maximum: 10_000 }),
  /** ESL: longest header block of one frame (an outbound `connect` reply carries the channel's variables). */
  eslMaxHeaderBytes: bytes(4 * KiB, 64 * MiB),
  /** ESL: largest frame body after the handshake (`api show channels` on a busy node). */
  eslMaxBodyBytes: bytes(4 * KiB, 1024 * MiB),
  /** ESL: every byte a peer may send before its handshake is over (frames, held events, partial frame). */
  eslHandshakeMaxBytes: bytes(4 * KiB, 256 * MiB),
  /** HTTP: largest request body. */
  httpBodyLimitBytes: bytes(1 * KiB, 256 * MiB),
  /** SSE: concurrent /api/stream clients on this node; one more is answered 503. */
  sseMaxClients: Type.Integer({ minimum: 1, maximum: 100_000 }),
  /** SSE: bytes waiting to be written to one client; a reader that falls this far behind is dropped. */
  sseMaxBacklogBytes: bytes(4 * KiB, 256 * MiB),
  /** Webhooks (work orders, department feeds): bytes of a receiver's answer read; the rest is cut off. */
  webhookMaxResponseBytes: bytes(0, 64 * MiB),
  /** Failed authentications from one address before it is locked out (0 = no lockout). */
  authMaxFailures: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  /** The window failures are counted in, and how long a lockout lasts. */
  authLockoutSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
};

export const LIMIT_DEFAULTS = {
  registryMaxBytes: 1 * MiB,
  registryMaxAliases: 1000,
  registryMaxDepth: 64,
  eslMaxHeaderBytes: 1 * MiB,
  eslMaxBodyBytes: 64 * MiB,
  eslHandshakeMaxBytes: 1 * MiB,
  httpBodyLimitBytes: 1 * MiB,
  sseMaxClients: 256,
  sseMaxBacklogBytes: 1 * MiB,
  webhookMaxResponseBytes: 64 * KiB,
  authMaxFailures: 20,
  authLockoutSeconds: 300,
} as const;

export type LimitSettings = { -readonly [K in keyof typeof LIMIT_DEFAULTS]: number };

/** Environment variable → field. */
export const LIMIT_ENV: Readonly<Record<keyof LimitSettings, string>> = {
  registryMaxBytes: 'REGISTRY_MAX_BYTES',
  registryMaxAliases: 'REGISTRY_MAX_ALIASES',
  registryMaxDepth: 'REGISTRY_MAX_DEPTH',
  eslMaxHeaderBytes: 'ESL_MAX_HEADER_BYTES',
  eslMaxBodyBytes: 'ESL_MAX_BODY_BYTES',
  eslHandshakeMaxBytes: 'ESL_HANDSHAKE_MAX_BYTES',
  httpBodyLimitBytes: 'HTTP_BODY_LIMIT_BYTES',
  sseMaxClients: 'SSE_MAX_CLIENTS',
  sseMaxBacklogBytes: 'SSE_MAX_BACKLOG_BYTES',
  webhookMaxResponseBytes: 'WEBHOOK_MAX_RESPONSE_BYTES',
  authMaxFailures: 'AUTH_MAX_FAILURES',
  authLockoutSeconds: 'AUTH_LOCKOUT_SECONDS',
};

/** `integer` is settings.ts's reader (whole numbers only, with the variable named in its error). */
export function limitsFromEnv(integer: (name: string, fallback: number) => number): LimitSettings {
  const out = {} as LimitSettings;
  for (const key of Object.keys(LIMIT_DEFAULTS) as (keyof LimitSettings)[]) {
    out[key] = integer(LIMIT_ENV[key], LIMIT_DEFAULTS[key]);
  }
  return out;
}

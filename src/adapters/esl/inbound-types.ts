import type { BackoffOptions } from './backoff.js';
import type { EventFormat, FsEvent } from './codec/types.js';
import type { EslError } from './errors.js';
import type { EslLimits } from './connection.js';
import type { EslLogger } from './logger.js';
import type { ResyncSignal } from './sequence.js';

export type EslState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export interface InboundEslOptions {
  host: string;
  port: number;
  password: string;
  /** Event names to subscribe to; BACKGROUND_JOB (and HEARTBEAT) are always added. */
  events?: readonly string[];
  /** CUSTOM subclasses (e.g. `sofia::register`), sent after every plain name. */
  subclasses?: readonly string[];
  /** `json` (default). `plain` is supported for completeness and tests. */
  format?: EventFormat;
  /** `filter <header> <value>` pairs applied after subscribing. */
  filters?: readonly (readonly [string, string])[];
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  bgapiTimeoutMs?: number;
  /** Probe with `api status` when nothing arrived for this long; a failed probe reconnects. 0 = off. */
  heartbeatIntervalMs?: number;
  backoff?: BackoffOptions;
  /** Report `Event-Sequence` gaps. Default: on only when subscribed to ALL (see SequenceTracker). */
  sequenceGaps?: boolean;
  logger?: EslLogger;
  /** connection errors are logged once per distinct cause per interval (default 60 s) */
  errorLogIntervalMs?: number;
  random?: () => number;
  /** What the connection may make us hold, before and after its handshake (default DEFAULT_ESL_LIMITS). */
  limits?: EslLimits;
}

export interface InboundEslEvents {
  event: [FsEvent];
  connected: [];
  disconnected: [EslError];
  /** A connection attempt or connection failed; the next attempt is scheduled after `delayMs`. */
  retry: [{ attempt: number; delayMs: number; error: EslError }];
  'resync-needed': [ResyncSignal];
  state: [EslState];
  failed: [EslError];
}

export const DEFAULT_INBOUND_EVENTS = [
  'CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_HANGUP',
  'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY',
] as const;

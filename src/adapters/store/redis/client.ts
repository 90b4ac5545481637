/**
 * The ioredis connection the store wants, and the one error it raises when Redis is away.
 *
 * Failure policy — fail fast, never hang, never repeat a write behind the caller's back:
 *  - `enableOfflineQueue: false`: while disconnected a command is rejected at once instead of
 *    waiting in memory for a server that may be gone for minutes (a caller on the line cannot
 *    wait; the app falls back, e.g. to the 7×24 pool via the dialplan).
 *  - `maxRetriesPerRequest: 0` and `autoResendUnfulfilledCommands: false`: a command in flight
 *    when the connection drops is rejected, not re-sent after the reconnect. A re-sent reserve
 *    whose first copy did run would report "agent-changed" for a reservation it actually made.
 *  - `commandTimeout`: a command on a half-dead socket rejects after this many ms.
 *  - reconnects continue forever with short jittered backoff (≤ 1 s), so the store heals as
 *    soon as Redis is back. A rejected write's outcome is unknown: the reservation expiry sweep
 *    (`expireReservations`) and the version compare-and-set make a retry safe.
 */
import { Redis, type RedisOptions } from 'ioredis';

export class StoreUnavailableError extends Error {
  readonly code = 'store-unavailable';
  constructor(operation: string, cause: unknown) {
    super(`redis store unavailable during ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

export function reconnectDelay(attempt: number): number {
  return Math.min(1000, 25 * 2 ** Math.min(attempt, 6)) + Math.floor(Math.random() * 50);
}

export const STORE_CLIENT_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  commandTimeout: 2_000,
  connectTimeout: 2_000,
  retryStrategy: reconnectDelay,
};

export interface ConnectOptions {
  /** extra ioredis options (override the store's defaults at your own risk) */
  readonly redis?: RedisOptions;
  /** connection errors, reported while ioredis keeps reconnecting (default: ignored) */
  readonly onError?: (err: Error) => void;
}

/** Connect and wait until the server is ready (the offline queue is off, so commands sent earlier would fail). */
export async function connectRedis(url: string, opts: ConnectOptions = {}): Promise<Redis> {
  const client = new Redis(url, { ...STORE_CLIENT_OPTIONS, ...opts.redis, lazyConnect: true });
  // Without a listener ioredis prints every failed reconnect to the console.
  client.on('error', opts.onError ?? (() => undefined));
  // connect() rejects with a bare "Connection is closed."; the cause (ECONNREFUSED, WRONGPASS…) came as an error event.
  let cause: Error | undefined;
  const remember = (err: Error): void => { cause = err; };
  client.on('error', remember);
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw new StoreUnavailableError('connect', cause ?? err);
  } finally {
    client.off('error', remember);
  }
  return client;
}

/** Redis answered (the reply is an error of the script or command): a bug, not an outage. */
export function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError';
}

/** Resolve when the client is ready again, or reject after `timeoutMs`. */
export function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new StoreUnavailableError('wait for reconnect', new Error(`not ready after ${timeoutMs} ms`)));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

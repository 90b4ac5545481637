/** One signed POST of a JSON body; the outcome classified for the retry policy. */
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './sign.js';

export type PostResult =
  | { readonly kind: 'delivered'; readonly status: number }
  /** Network error, timeout, 5xx, 429: worth another attempt (`retryAfterMs` from Retry-After). */
  | { readonly kind: 'retry'; readonly status?: number; readonly error?: string; readonly retryAfterMs?: number }
  /** Any other 4xx: the receiver will never take it. */
  | { readonly kind: 'rejected'; readonly status: number };

export interface PostTarget {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs: number;
  /** Bytes of the receiver's answer read (WEBHOOK_MAX_RESPONSE_BYTES); the rest is cut off. */
  readonly maxResponseBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Reads a response body up to `max` bytes, then cancels it: only the status matters, and a
 * receiver answering with an endless or huge body must cost neither memory nor the timeout.
 * A body within the bound is read to its end so the connection can be reused.
 */
export async function drainCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<{ readonly bytes: number; readonly cut: boolean }> {
  if (body === null) return { bytes: 0, cut: false };
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, cut: false };
      bytes += value.byteLength;
      if (bytes > max) {
        await reader.cancel().catch(() => undefined);
        return { bytes, cut: true };
      }
    }
  } catch {
    // A body that breaks off does not change the status already received.
    return { bytes, cut: true };
  }
}

function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const s = Number(value);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}

/** `headers`: extra ones (the durable outbox's Idempotency-Key); they cannot replace the signature's. */
export async function postSigned(
  target: PostTarget, body: string, now: () => number = Date.now, headers: Readonly<Record<string, string>> = {},
): Promise<PostResult> {
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: sign(target.secret, body),
        [TIMESTAMP_HEADER]: String(Math.floor(now() / 1000)),
      },
      body,
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    await drainCapped(res.body, target.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    if (res.status >= 200 && res.status < 300) return { kind: 'delivered', status: res.status };
    if (res.status >= 500 || res.status === 429) {
      const after = retryAfter(res.headers.get('retry-after'));
      return { kind: 'retry', status: res.status, ...(after !== undefined ? { retryAfterMs: after } : {}) };
    }
    return { kind: 'rejected', status: res.status };
  } catch (err) {
    return { kind: 'retry', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

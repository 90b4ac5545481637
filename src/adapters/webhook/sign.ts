/**
 * Webhook signatures: HMAC-SHA256 over the exact bytes of the body, hex, as
 * `X-Hotline-Signature: sha256=<hex>`, with the send time in `X-Hotline-Timestamp` (epoch
 * seconds) so a receiver can refuse stale deliveries. Verify against the raw body, before parsing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hotline-signature';
export const TIMESTAMP_HEADER = 'x-hotline-timestamp';

export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a received signature header against the raw body. */
export function verify(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(sign(secret, body));
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

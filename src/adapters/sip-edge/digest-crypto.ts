/**
 * The crypto of SIP digest authentication (RFC 2617 MD5, qop=auth or none) for the edge's
 * registrar: HA1, the response check, and stateless nonces.
 *
 * A nonce is `<issued ms, base 36>.<random>.<HMAC-SHA256 over both and the source address>`,
 * so any edge process holding the same key checks a nonce another one issued (several edges share
 * one drachtio-server, which hands each request to any of them), a nonce answered from another
 * address is refused, and an old one is answered `stale=true` (the phone retries at once with the
 * new nonce, no password prompt).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { DigestCheck } from '../../app/edge/registrar.js';
import type { DigestCredentials, NonceCheck } from '../../core/edge/index.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** HA1 as the secrets file may hold it instead of the password: md5(user:realm:password). */
export function digestHa1(username: string, realm: string, password: string): string {
  return md5(`${username}:${realm}:${password}`);
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Whether the phone's response proves it knows the password whose HA1 is `ha1`. qop=auth needs
 * nc and cnonce; no qop is RFC 2069's form (older phones); MD5 only (MD5-sess and SHA-256 are
 * refused rather than half-supported).
 */
export function digestResponseValid(creds: DigestCredentials, method: string, ha1: string): boolean {
  if (creds.algorithm !== undefined && creds.algorithm.toUpperCase() !== 'MD5') return false;
  const ha2 = md5(`${method}:${creds.uri}`);
  let expected: string;
  if (creds.qop === undefined) {
    expected = md5(`${ha1}:${creds.nonce}:${ha2}`);
  } else {
    if (creds.qop.toLowerCase() !== 'auth' || creds.nc === undefined || creds.cnonce === undefined) return false;
    expected = md5(`${ha1}:${creds.nonce}:${creds.nc}:${creds.cnonce}:auth:${ha2}`);
  }
  return sameText(expected, creds.response.toLowerCase());
}

const nonceMac = (key: string, issued: string, random: string, source: string): string =>
  createHmac('sha256', key).update(`${issued}.${random}.${source}`).digest('base64url').slice(0, 27);

/** A nonce for `source` issued at `now`; `random` is fresh random text (base64url) from the caller. */
export function mintNonce(key: string, now: number, random: string, source: string): string {
  const issued = Math.max(0, Math.floor(now)).toString(36);
  return `${issued}.${random}.${nonceMac(key, issued, random, source)}`;
}

/** 'bad': not one of ours or not for this source; 'stale': ours but older than `ttlMs` (or from the future). */
export function checkNonce(key: string, nonce: string, now: number, source: string, ttlMs: number): NonceCheck {
  const parts = nonce.split('.');
  if (parts.length !== 3) return 'bad';
  const [issued = '', random = '', mac = ''] = parts;
  if (!/^[0-9a-z]{1,12}$/.test(issued) || !/^[A-Za-z0-9_-]{1,64}$/.test(random)) return 'bad';
  if (!sameText(mac, nonceMac(key, issued, random, source))) return 'bad';
  const age = now - parseInt(issued, 36);
  // A little future allows for clocks of several edges a few seconds apart.
  return age > ttlMs || age < -30_000 ? 'stale' : 'ok';
}

/** The registrar's DigestCheck over a key shared by the deployment's edges and a random source. */
export function digestCheck(key: string, random: () => string): DigestCheck {
  return {
    newNonce: (source, now) => mintNonce(key, now, random(), source),
    nonce: (nonce, source, now, ttlMs) => checkNonce(key, nonce, now, source, ttlMs),
    responseValid: (creds: DigestCredentials, method, ha1) => digestResponseValid(creds, method, ha1),
  };
}

/**
 * SIP digest authentication (RFC 3261 §22, RFC 2617 MD5 with qop=auth or without qop) for agents'
 * phones registering at the edge. Pure: the key, the instant and the random bytes come in.
 *
 * Nonces are stateless: `<issued ms, base 36>.<random>.<HMAC-SHA256 over both and the source
 * address>`, so any edge process holding the same key checks a nonce another one issued (several
 * edges share one drachtio-server, which hands each request to any of them), a nonce answered
 * from another address is refused, and an old one is answered `stale=true` (the phone retries at
 * once with the new nonce, no password prompt).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm?: string;
  readonly qop?: string;
  readonly nc?: string;
  readonly cnonce?: string;
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** HA1 as the secrets file may hold it instead of the password: md5(user:realm:password). */
export function digestHa1(username: string, realm: string, password: string): string {
  return md5(`${username}:${realm}:${password}`);
}

/**
 * The auth-params of an `Authorization: Digest …` value (quoted strings with backslash escapes,
 * tokens); undefined when it is not Digest or lacks a required parameter. A name given twice is
 * refused: which of the two counts would be a guess.
 */
export function parseDigestCredentials(value: string): DigestCredentials | undefined {
  const m = /^\s*digest\s+/i.exec(value);
  if (m === null) return undefined;
  const params = new Map<string, string>();
  let i = m[0].length;
  const text = value;
  while (i < text.length) {
    while (i < text.length && (text[i] === ',' || text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= text.length) break;
    const nameMatch = /^[A-Za-z0-9_-]+/.exec(text.slice(i));
    if (nameMatch === null) return undefined;
    const name = nameMatch[0].toLowerCase();
    i += nameMatch[0].length;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '=') return undefined;
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    let val = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i];
        if (c === '\\' && i + 1 < text.length) { val += text[i + 1]; i += 2; continue; }
        if (c === '"') { closed = true; i++; break; }
        val += c;
        i++;
      }
      if (!closed) return undefined;
    } else {
      const tok = /^[^\s,]*/.exec(text.slice(i))?.[0] ?? '';
      val = tok;
      i += tok.length;
    }
    if (params.has(name)) return undefined;
    params.set(name, val);
  }
  const get = (k: string): string | undefined => params.get(k);
  const username = get('username');
  const realm = get('realm');
  const nonce = get('nonce');
  const uri = get('uri');
  const response = get('response');
  if (username === undefined || realm === undefined || nonce === undefined || uri === undefined || response === undefined) return undefined;
  const optional = (k: 'algorithm' | 'qop' | 'nc' | 'cnonce'): Partial<Record<typeof k, string>> => {
    const v = get(k);
    return v === undefined ? {} : { [k]: v };
  };
  return { username, realm, nonce, uri, response, ...optional('algorithm'), ...optional('qop'), ...optional('nc'), ...optional('cnonce') };
}

/** `WWW-Authenticate` for a 401: MD5, qop=auth; stale when the phone's password was right but its nonce old. */
export function digestChallenge(realm: string, nonce: string, stale = false): string {
  return `Digest realm="${realm}", nonce="${nonce}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
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

export type NonceCheck = 'ok' | 'stale' | 'bad';

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

/**
 * SIP digest authentication (RFC 3261 §22, RFC 2617) for agents' phones registering at the edge:
 * reading the phone's credentials and writing the challenge. Pure text; the hashing and the
 * nonces (crypto) are in adapters/sip-edge/digest-crypto.ts behind the registrar's DigestCheck port.
 */

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

/** 'bad': not one of ours or not for this source; 'stale': ours but too old. */
export type NonceCheck = 'ok' | 'stale' | 'bad';

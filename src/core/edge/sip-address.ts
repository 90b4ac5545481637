/**
 * Reading numbers out of SIP header values, as a carrier sends them (RFC 3261 name-addr /
 * addr-spec, RFC 3966 tel URIs, RFC 5806 Diversion and RFC 7044 History-Info lists).
 * drachtio-server already parsed the message; these values are still whatever the peer wrote,
 * so every function here takes any string and returns undefined rather than throwing.
 */

export interface AddressEntry {
  /** The URI alone, without its angle brackets. */
  readonly uri: string;
  /** Header parameters after the address (lower-case names): tag, reason, counter, index… */
  readonly params: ReadonlyMap<string, string>;
}

/** Splits a header value at top-level commas: not inside quotes or angle brackets. */
export function splitHeaderList(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      items.push(value.slice(start, i));
      start = i + 1;
    }
  }
  items.push(value.slice(start));
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of text.split(';')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    const raw = eq < 0 ? '' : p.slice(eq + 1).trim();
    params.set(name, raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw);
  }
  return params;
}

/** One name-addr (`"Name" <sip:…>;p=v`) or addr-spec (`sip:…;p=v`, whose parameters are the header's). */
export function parseAddress(entry: string): AddressEntry | undefined {
  const text = entry.trim();
  let quoted = false;
  let open = -1;
  for (let i = 0; i < text.length && open < 0; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') open = i;
  }
  if (open >= 0) {
    const close = text.indexOf('>', open);
    if (close < 0) return undefined;
    const uri = text.slice(open + 1, close).trim();
    return uri === '' ? undefined : { uri, params: parseParams(text.slice(close + 1)) };
  }
  if (quoted) return undefined;
  const semi = text.indexOf(';');
  const uri = (semi < 0 ? text : text.slice(0, semi)).trim();
  if (uri === '' || /\s/.test(uri)) return undefined;
  return { uri, params: parseParams(semi < 0 ? '' : text.slice(semi + 1)) };
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/**
 * The telephone number a URI names: the user part of sip:/sips: (without `;isub`, `;npdi`,
 * `;rn=` user parameters or a password), the number of tel:. Undefined for other schemes and
 * for a sip URI without a user part.
 */
export function uriNumber(uri: string): string | undefined {
  const colon = uri.indexOf(':');
  if (colon < 0) return undefined;
  const scheme = uri.slice(0, colon).toLowerCase();
  const rest = uri.slice(colon + 1);
  let user: string;
  if (scheme === 'tel') {
    user = rest.split(/[;?]/, 1)[0] ?? '';
  } else if (scheme === 'sip' || scheme === 'sips') {
    // The user part may carry ';' user parameters but never an unescaped '@' or '?'.
    const beforeHeaders = rest.split('?', 1)[0] ?? '';
    const at = beforeHeaders.indexOf('@');
    if (at < 0) return undefined;
    user = (beforeHeaders.slice(0, at).split(';', 1)[0] ?? '').split(':', 1)[0] ?? '';
  } else {
    return undefined;
  }
  const decoded = decode(user);
  if (decoded === undefined) return undefined;
  // RFC 3966 visual separators.
  const number = decoded.replace(/[\s\-.()]/g, '');
  return number === '' ? undefined : number;
}

/** RFC 7044 index "1.1.2" as numbers, for ordering; entries without one sort last. */
function indexKey(index: string | undefined): number[] | undefined {
  if (index === undefined || !/^[0-9]+(\.[0-9]+)*$/.test(index)) return undefined;
  return index.split('.').map(Number);
}

function compareIndex(a: number[] | undefined, b: number[] | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Numbers of a Diversion list, the originally dialed first. RFC 5806: each diverting server
 * adds its entry on top, so the bottom entry holds the number the caller dialed.
 */
export function diversionNumbers(value: string): string[] {
  return splitHeaderList(value).map(parseAddress).reverse()
    .map((e) => (e === undefined ? undefined : uriNumber(e.uri)))
    .filter((n): n is string => n !== undefined);
}

/**
 * Numbers of a History-Info list in index order: RFC 7044's index 1 is the first target,
 * the number the caller dialed; retargets follow (1.1, 1.1.1, …).
 */
export function historyInfoNumbers(value: string): string[] {
  const entries = splitHeaderList(value).map(parseAddress).filter((e): e is AddressEntry => e !== undefined);
  return entries
    .map((e, position) => ({ e, position, key: indexKey(e.params.get('index')) }))
    .sort((a, b) => compareIndex(a.key, b.key) || a.position - b.position)
    .map(({ e }) => uriNumber(e.uri))
    .filter((n): n is string => n !== undefined);
}

/** The number of a single-address header (To, P-Called-Party-ID) or of a bare URI (Request-URI). */
export function addressNumber(value: string): string | undefined {
  const first = splitHeaderList(value)[0];
  const entry = first === undefined ? undefined : parseAddress(first);
  return entry === undefined ? undefined : uriNumber(entry.uri);
}

/**
 * Wire framing as FreeSWITCH's mod_event_socket does it — written independently of
 * src/adapters/esl/codec so the contract tests do not check the router's codec against itself.
 *
 * Router → FreeSWITCH: a command line, `Name: value` lines, a blank line, then Content-Length
 * bytes if a content-length header was given (read_packet in mod_event_socket.c).
 * FreeSWITCH → router: `Content-Type: …` headers, blank line, optional Content-Length body.
 */

export interface PeerCommand {
  /** The first line, e.g. `api status`, `sendmsg`, `event json ALL`. */
  line: string;
  /** Header names lower-cased (FreeSWITCH looks them up case-insensitively). */
  headers: Map<string, string>;
  body: string | undefined;
}

/** Reads commands from the router. Simple on purpose: a test double, not a hot path. */
export class CommandReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): PeerCommand[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: PeerCommand[] = [];
    for (;;) {
      // FreeSWITCH skips stray newlines before a packet.
      let skip = 0;
      while (skip < this.pending.length && (this.pending[skip] === 0x0a || this.pending[skip] === 0x0d)) skip += 1;
      if (skip > 0) this.pending = this.pending.subarray(skip);
      const end = this.pending.indexOf('\n\n');
      if (end < 0) break;
      const lines = this.pending.toString('utf8', 0, end).split('\n').map((l) => l.replace(/\r$/, ''));
      const headers = new Map<string, string>();
      for (const l of lines.slice(1)) {
        const colon = l.indexOf(':');
        if (colon > 0) headers.set(l.slice(0, colon).toLowerCase(), l.slice(colon + 1).replace(/^ +/, ''));
      }
      const length = Number(headers.get('content-length') ?? '0');
      const bodyStart = end + 2;
      if (length > 0 && this.pending.length < bodyStart + length) break;
      const body = length > 0 ? this.pending.toString('utf8', bodyStart, bodyStart + length) : undefined;
      this.pending = this.pending.subarray(bodyStart + Math.max(0, length));
      out.push({ line: lines[0] ?? '', headers, body });
    }
    return out;
  }
}

const UNSAFE = new Set('\r\n #%&+:;<=>?@[\\]^`{|}"');
const isUpperHex = (b: number | undefined): boolean => b !== undefined && ((b >= 48 && b <= 57) || (b >= 65 && b <= 70));

/** switch_url_encode: unsafe bytes → %XX, but an existing %XX (upper-case hex) is kept as is. */
export function fsUrlEncode(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i] ?? 0;
    const keep = b === 0x25 && isUpperHex(bytes[i + 1]) && isUpperHex(bytes[i + 2]);
    const ch = String.fromCharCode(b);
    out += !keep && (b < 0x20 || b > 0x7e || UNSAFE.has(ch)) ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

export type Headers = readonly (readonly [string, string])[];

/** switch_event_serialize(event, encode=TRUE): url-encoded lines, then `Content-Length` + body or a blank line. */
export function serializePlain(headers: Headers, body?: string): string {
  let out = '';
  for (const [name, value] of headers) out += `${name}: ${value === '' ? '_undef_' : fsUrlEncode(value)}\n`;
  if (body !== undefined && body !== '') return `${out}Content-Length: ${Buffer.byteLength(body)}\n\n${body}`;
  return `${out}\n`;
}

/** switch_event_serialize_json: one flat object; a body adds Content-Length and `_body`. */
export function serializeJson(headers: Headers, body?: string): string {
  const obj: Record<string, string> = {};
  for (const [name, value] of headers) obj[name] = value;
  if (body !== undefined) {
    obj['Content-Length'] = String(Buffer.byteLength(body));
    obj._body = body;
  }
  return JSON.stringify(obj);
}

export function eventFrame(format: 'json' | 'plain', headers: Headers, body?: string): string {
  const payload = format === 'json' ? serializeJson(headers, body) : serializePlain(headers, body);
  return `Content-Length: ${Buffer.byteLength(payload)}\nContent-Type: text/event-${format}\n\n${payload}`;
}

export const authRequest = (): string => 'Content-Type: auth/request\n\n';

/** `~`-prefixed replies in mod_event_socket carry extra headers verbatim (e.g. bgapi's Job-UUID). */
export function commandReply(text: string, extra: Headers = []): string {
  let out = `Content-Type: command/reply\nReply-Text: ${text}\n`;
  for (const [name, value] of extra) out += `${name}: ${value}\n`;
  return `${out}\n`;
}

export function apiResponse(body: string): string {
  const text = body === '' ? '-ERR no reply\n' : body;
  return `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(text)}\n\n${text}`;
}

export function disconnectNotice(message: string, extra: Headers = []): string {
  let out = 'Content-Type: text/disconnect-notice\n';
  for (const [name, value] of extra) out += `${name}: ${value}\n`;
  return `${out}Content-Length: ${Buffer.byteLength(message)}\n\n${message}`;
}

export function rudeRejection(message = 'Access Denied, go away.\n'): string {
  return `Content-Type: text/rude-rejection\nContent-Length: ${Buffer.byteLength(message)}\n\n${message}`;
}

export const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

/**
 * One SIP message off the wire, reduced to what the bench correlates on: request method or
 * response status, Call-ID, CSeq method, and the user parts of the Request-URI, From and To.
 * Compact header forms (i, f, t) count as their long names.
 */

export interface SipMessage {
  readonly tsUs: number;
  readonly srcPort: number;
  readonly dstPort: number;
  /** INVITE, BYE… for a request; undefined for a response. */
  readonly method?: string;
  readonly status?: number;
  readonly callId: string;
  readonly cseqMethod: string;
  readonly fromUser: string;
  readonly toUser: string;
  /** The Request-URI's user part (requests only). */
  readonly uriUser?: string;
}

const COMPACT: Readonly<Record<string, string>> = { i: 'call-id', f: 'from', t: 'to' };

/** `sip:1001@127.0.0.1:5080` anywhere in a header value → `1001` (empty when the URI has no user). */
export function uriUser(value: string): string {
  const m = /sips?:([^@;>\s]+)@/.exec(value);
  return m?.[1] ?? '';
}

export function parseSip(payload: Buffer | string, tsUs: number, srcPort: number, dstPort: number): SipMessage | undefined {
  const text = typeof payload === 'string' ? payload : payload.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const lines = (headEnd === -1 ? text : text.slice(0, headEnd)).split(/\r?\n/);
  const first = lines[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  const callId = headers.get('call-id');
  const cseq = headers.get('cseq');
  if (callId === undefined || cseq === undefined) return undefined;
  const base = {
    tsUs, srcPort, dstPort, callId, cseqMethod: cseq.split(/\s+/)[1] ?? '',
    fromUser: uriUser(headers.get('from') ?? ''), toUser: uriUser(headers.get('to') ?? ''),
  };
  const status = /^SIP\/2\.0 (\d{3})\b/.exec(first);
  if (status !== null) return { ...base, status: Number(status[1]) };
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(first.trim());
  if (request === null) return undefined;
  return { ...base, method: request[1] ?? '', uriUser: uriUser(request[2] ?? '') };
}

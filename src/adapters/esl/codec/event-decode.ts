import { parseHeaderBlock } from './frame-parser.js';
import { ContentType, type EslFrame, type FsEvent } from './types.js';
import { safeUrlDecode } from './url.js';

export type DecodeResult = { ok: true; event: FsEvent } | { ok: false; reason: string };

/** Builds the typed event from decoded headers; `headers` is taken over, not copied. */
export function toFsEvent(headers: Record<string, string>, body: string | undefined): FsEvent {
  const name = headers['Event-Name'] ?? '';
  const subclass = headers['Event-Subclass'];
  const uuid = headers['Unique-ID'];
  const seqText = headers['Event-Sequence'];
  const seq = seqText === undefined ? Number.NaN : Number(seqText);
  return {
    name,
    ...(subclass !== undefined ? { subclass } : {}),
    ...(uuid !== undefined ? { uuid } : {}),
    ...(Number.isSafeInteger(seq) ? { sequence: seq } : {}),
    headers,
    ...(body !== undefined ? { body } : {}),
  };
}

/** `text/event-json` body: one flat object; arrays are multi-valued headers; `_body` is the body. */
export function decodeJsonEvent(text: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `invalid event json: ${(err as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'event json is not an object' };
  }
  // The parsed object becomes the headers in place: no second 100-key object per event.
  const obj = parsed as Record<string, unknown>;
  let body: string | undefined;
  for (const key in obj) {
    const value = obj[key];
    if (typeof value === 'string') continue;
    if (Array.isArray(value)) obj[key] = `ARRAY::${value.map(String).join('|:')}`;
    else if (typeof value === 'number' || typeof value === 'boolean') obj[key] = String(value);
    else if (value === null || value === undefined) delete obj[key];
    else obj[key] = JSON.stringify(value);
  }
  if ('_body' in obj) {
    body = obj._body as string;
    delete obj._body;
  }
  const headers = obj as Record<string, string>;
  if (headers['Event-Name'] === undefined) return { ok: false, reason: 'event without Event-Name' };
  return { ok: true, event: toFsEvent(headers, body) };
}

/** Url-decodes every value of a plain header block (never throws). */
export function decodeHeaderValues(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(raw)) out[key] = safeUrlDecode(raw[key] ?? '');
  return out;
}

/** `text/event-plain` body: url-encoded `Name: value` lines; then, if any, Content-Length and the body. */
export function decodePlainEvent(text: string): DecodeResult {
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const headers = decodeHeaderValues(parseHeaderBlock(head));
  let body: string | undefined;
  if (headers['Content-Length'] !== undefined && split >= 0) {
    const length = Number(headers['Content-Length']);
    const rest = text.slice(split + 2);
    // Content-Length counts bytes; only re-slice when the text is not plain ASCII.
    body = Number.isInteger(length) && Buffer.byteLength(rest) > length
      ? Buffer.from(rest).subarray(0, length).toString('utf8')
      : rest;
  }
  if (headers['Event-Name'] === undefined) return { ok: false, reason: 'event without Event-Name' };
  return { ok: true, event: toFsEvent(headers, body) };
}

/** Decodes an event frame (json or plain); anything else is not an event. */
export function decodeEventFrame(frame: EslFrame): DecodeResult {
  const type = frame.headers['Content-Type'];
  const body = frame.body ?? '';
  if (type === ContentType.eventJson) return decodeJsonEvent(body);
  if (type === ContentType.eventPlain) return decodePlainEvent(body);
  return { ok: false, reason: `not an event frame: ${type ?? '(no Content-Type)'}` };
}

export function isEventFrame(frame: EslFrame): boolean {
  const type = frame.headers['Content-Type'];
  return type === ContentType.eventJson || type === ContentType.eventPlain || type === ContentType.eventXml;
}

import type { EslFrame } from './types.js';

export interface FrameParserLimits {
  /** Longest header block accepted before the blank line (bytes). */
  maxHeaderBytes?: number;
  /** Largest Content-Length accepted (bytes). */
  maxBodyBytes?: number;
}

export class EslProtocolError extends Error {
  override readonly name = 'EslProtocolError';
}

const LF = 0x0a;
const DEFAULT_MAX_HEADER = 1024 * 1024;
const DEFAULT_MAX_BODY = 64 * 1024 * 1024;
const INITIAL_BUFFER = 64 * 1024;
/** A buffer grown past this for one big frame goes back to the initial size once it is empty. */
const SHRINK_ABOVE = 1024 * 1024;

/**
 * Incremental ESL frame parser: `Header: value` lines, a blank line, then Content-Length bytes.
 *
 * Bytes go into one growable buffer (doubling, compacted when the consumed prefix is large), so
 * every byte is copied O(1) times amortised — unlike modesl's Parser, which Buffer.concat's the
 * whole backlog on every chunk (quadratic on a 16 MiB `show channels`). Header search resumes
 * where the previous chunk's search stopped instead of rescanning.
 *
 * Bounded: a header block past maxHeaderBytes or a Content-Length past maxBodyBytes throws
 * before the bytes are held; the buffer grows with the bytes that arrived (never to a declared
 * length up front), so it holds at most one partial frame within the limits plus one chunk.
 */
export class EslFrameParser {
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_BUFFER);
  private start = 0; // first unconsumed byte
  private end = 0; // one past the last buffered byte
  private scanFrom = 0; // where the search for "\n\n" resumes
  private pendingHeaders: Record<string, string> | undefined;
  private pendingBodyLength = 0;
  private copied = 0;
  private maxHeaderBytes: number;
  private maxBodyBytes: number;

  constructor(limits: FrameParserLimits = {}) {
    this.maxHeaderBytes = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER;
    this.maxBodyBytes = limits.maxBodyBytes ?? DEFAULT_MAX_BODY;
  }

  /** New limits for the frames still to come (a connection loosens them once its handshake is over). */
  setLimits(limits: FrameParserLimits): void {
    this.maxHeaderBytes = limits.maxHeaderBytes ?? this.maxHeaderBytes;
    this.maxBodyBytes = limits.maxBodyBytes ?? this.maxBodyBytes;
  }

  /** Bytes of buffer allocated (for the bound tests). */
  get capacity(): number {
    return this.buf.length;
  }

  /** Bytes written into the buffer so far, chunks and moves alike: O(bytes fed), which the tests hold it to. */
  get copiedBytes(): number {
    return this.copied;
  }

  /** Bytes held but not yet part of a complete frame. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  /** Feeds one chunk; returns every frame it completed (possibly none). Throws EslProtocolError. */
  push(chunk: Uint8Array): EslFrame[] {
    this.append(chunk);
    const frames: EslFrame[] = [];
    for (;;) {
      const frame = this.pendingHeaders ? this.takeBody() : this.takeHeaders();
      if (frame === undefined) break;
      if (frame !== null) frames.push(frame);
    }
    if (this.start === this.end) {
      // Everything consumed: rewind so the buffer never needs compacting in the common case.
      this.start = 0;
      this.end = 0;
      this.scanFrom = 0;
      if (this.buf.length > SHRINK_ABOVE) this.buf = Buffer.allocUnsafe(INITIAL_BUFFER);
    }
    return frames;
  }

  private append(chunk: Uint8Array): void {
    const need = this.end + chunk.length;
    if (need > this.buf.length) {
      const live = this.end - this.start;
      // Grown by what arrived, not by the Content-Length a peer declared: a few bytes claiming a
      // huge body must not allocate it.
      const wanted = live + chunk.length;
      if (live + chunk.length <= this.buf.length / 2 && wanted <= this.buf.length) {
        this.buf.copy(this.buf, 0, this.start, this.end); // compact in place
      } else {
        let size = this.buf.length;
        while (size < wanted) size *= 2;
        const next = Buffer.allocUnsafe(size);
        this.buf.copy(next, 0, this.start, this.end);
        this.buf = next;
      }
      this.copied += live;
      this.scanFrom -= this.start;
      this.end = live;
      this.start = 0;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
    this.copied += chunk.length;
  }

  /** undefined: need more bytes; null: skipped stray blank line; otherwise a frame. */
  private takeHeaders(): EslFrame | null | undefined {
    // FreeSWITCH tolerates leading newlines between packets; so do we.
    while (this.start < this.end && (this.buf[this.start] === LF || this.buf[this.start] === 0x0d)) {
      this.start += 1;
    }
    if (this.scanFrom < this.start) this.scanFrom = this.start;
    if (this.start === this.end) return undefined;
    const at = this.buf.subarray(0, this.end).indexOf('\n\n', Math.max(this.start, this.scanFrom - 1));
    if (at < 0) {
      this.scanFrom = this.end;
      if (this.end - this.start > this.maxHeaderBytes) {
        throw new EslProtocolError(`ESL header block exceeds ${this.maxHeaderBytes} bytes`);
      }
      return undefined;
    }
    if (at - this.start > this.maxHeaderBytes) {
      throw new EslProtocolError(`ESL header block exceeds ${this.maxHeaderBytes} bytes`);
    }
    const headers = parseHeaderBlock(this.buf.toString('utf8', this.start, at));
    this.start = at + 2;
    this.scanFrom = this.start;
    const lengthText = headers['Content-Length'];
    if (lengthText === undefined) return { headers, body: undefined };
    const length = Number(lengthText);
    if (!Number.isInteger(length) || length < 0) {
      throw new EslProtocolError(`bad Content-Length ${JSON.stringify(lengthText.slice(0, 32))}`);
    }
    if (length > this.maxBodyBytes) {
      throw new EslProtocolError(`ESL frame body of ${length} bytes exceeds ${this.maxBodyBytes} bytes`);
    }
    if (length === 0) return { headers, body: '' };
    this.pendingHeaders = headers;
    this.pendingBodyLength = length;
    return this.takeBody();
  }

  private takeBody(): EslFrame | undefined {
    const headers = this.pendingHeaders;
    if (!headers || this.end - this.start < this.pendingBodyLength) return undefined;
    const stop = this.start + this.pendingBodyLength;
    const body = this.buf.toString('utf8', this.start, stop);
    this.start = stop;
    this.scanFrom = stop;
    this.pendingHeaders = undefined;
    this.pendingBodyLength = 0;
    return { headers, body };
  }
}

/** `Name: value` lines; the value is everything after the first colon and its following spaces. */
export function parseHeaderBlock(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    let v = colon + 1;
    while (line.charCodeAt(v) === 0x20) v += 1;
    headers[line.slice(0, colon)] = line.slice(v);
  }
  return headers;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EslFrameParser, EslProtocolError } from '../../../../src/adapters/esl/codec/frame-parser.js';

const apiResponse = (body: string): string => `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
const reply = (text: string): string => `Content-Type: command/reply\nReply-Text: ${text}\n\n`;

function feed(parser: EslFrameParser, bytes: Buffer, cuts: number[]) {
  const frames = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    frames.push(...parser.push(bytes.subarray(at, cut)));
    at = cut;
  }
  return frames;
}

describe('EslFrameParser', () => {
  it('parses headers-only and body frames from one chunk', () => {
    const p = new EslFrameParser();
    const frames = p.push(Buffer.from(`Content-Type: auth/request\n\n${reply('+OK accepted')}${apiResponse('+OK done\n')}`));
    expect(frames).toEqual([
      { headers: { 'Content-Type': 'auth/request' }, body: undefined },
      { headers: { 'Content-Type': 'command/reply', 'Reply-Text': '+OK accepted' }, body: undefined },
      { headers: { 'Content-Type': 'api/response', 'Content-Length': '9' }, body: '+OK done\n' },
    ]);
    expect(p.bufferedBytes).toBe(0);
  });

  it('keeps a body whose bytes contain blank lines and multi-byte UTF-8 split mid-character', () => {
    const body = '第一行\n\nContent-Type: not/a-header\n\n尾';
    const bytes = Buffer.from(apiResponse(body));
    const p = new EslFrameParser();
    // cut inside the 3-byte encoding of 尾
    const frames = feed(p, bytes, [bytes.length - 2, 10, 41]);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.body).toBe(body);
  });

  it('finds a "\\n\\n" split across two chunks', () => {
    const p = new EslFrameParser();
    expect(p.push(Buffer.from('Content-Type: command/reply\nReply-Text: +OK\n'))).toEqual([]);
    expect(p.push(Buffer.from('\n'))).toHaveLength(1);
  });

  it('skips stray newlines between frames and strips \\r', () => {
    const p = new EslFrameParser();
    const frames = p.push(Buffer.from(`\n\nContent-Type: command/reply\r\nReply-Text: +OK\r\n\n`));
    expect(frames).toEqual([{ headers: { 'Content-Type': 'command/reply', 'Reply-Text': '+OK' }, body: undefined }]);
  });

  it('yields the same frames however the stream is chunked', () => {
    const stream = Buffer.from([
      reply('+OK accepted'),
      apiResponse('a'.repeat(3000)),
      `Content-Length: 12\nContent-Type: text/event-json\n\n{"a":"b\\nc"}`,
      apiResponse(''.padEnd(5, 'é')),
      reply('-ERR invalid'),
    ].join(''));
    const whole = new EslFrameParser().push(stream);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 40 }), (cuts) => {
      expect(feed(new EslFrameParser(), stream, cuts)).toEqual(whole);
    }));
  });

  it('rejects a bad Content-Length and an endless header block', () => {
    expect(() => new EslFrameParser().push(Buffer.from('Content-Length: -3\n\n'))).toThrow(EslProtocolError);
    expect(() => new EslFrameParser().push(Buffer.from('Content-Length: 12abc\n\n'))).toThrow(EslProtocolError);
    const p = new EslFrameParser({ maxHeaderBytes: 100 });
    expect(() => p.push(Buffer.from('X: '.padEnd(200, 'y')))).toThrow(/header block exceeds/);
  });

  it('parses a 16 MiB body delivered in 64 KiB chunks copying each byte O(1) times (not the backlog per chunk)', () => {
    const body = Buffer.alloc(16 * 1024 * 1024, 0x61);
    const bytes = Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${body.length}\n\n`), body]);
    const p = new EslFrameParser();
    let frames = 0;
    for (let at = 0; at < bytes.length; at += 65536) frames += p.push(bytes.subarray(at, at + 65536)).length;
    expect(frames).toBe(1);
    // Counted, not timed: modesl's Buffer.concat of the backlog on every chunk copies ~N²/2/chunk
    // (~2 GiB here); a buffer that doubles copies each byte once on arrival and at most once more
    // per doubling, under 2N in all. A buffer grown by one chunk at a time would fail this.
    expect(p.copiedBytes).toBeGreaterThanOrEqual(bytes.length);
    expect(p.copiedBytes).toBeLessThan(2 * bytes.length);
  });
});

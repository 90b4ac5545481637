/** The frame parser's bounds, each at its edge; the buffer never grows to a size a peer only declared. */
import { describe, expect, it } from 'vitest';
import { EslFrameParser, EslProtocolError } from '../../../../src/adapters/esl/codec/frame-parser.js';

const headerBlock = (bytes: number): string => {
  // `X: yyy…` of `bytes` bytes in all before the blank line (the parser measures up to the first "\n\n").
  const line = 'X: '.padEnd(bytes, 'y');
  return `${line}\n\n`;
};

describe('ESL frame parser limits', () => {
  it('a header block of exactly maxHeaderBytes is taken, one byte more is refused (in one chunk or many)', () => {
    expect(new EslFrameParser({ maxHeaderBytes: 100 }).push(Buffer.from(headerBlock(100)))).toHaveLength(1);
    expect(() => new EslFrameParser({ maxHeaderBytes: 100 }).push(Buffer.from(headerBlock(101)))).toThrow(/header block exceeds 100 bytes/);
    const p = new EslFrameParser({ maxHeaderBytes: 100 });
    const bytes = Buffer.from(headerBlock(101));
    expect(() => { for (const b of bytes) p.push(Buffer.from([b])); }).toThrow(EslProtocolError);
  });

  it('a body of exactly maxBodyBytes is taken, a Content-Length one more is refused before any body arrives', () => {
    const frame = (n: number) => Buffer.from(`Content-Type: api/response\nContent-Length: ${n}\n\n${'b'.repeat(n)}`);
    const [ok] = new EslFrameParser({ maxBodyBytes: 1000 }).push(frame(1000));
    expect(ok?.body).toHaveLength(1000);
    expect(() => new EslFrameParser({ maxBodyBytes: 1000 }).push(Buffer.from('Content-Type: api/response\nContent-Length: 1001\n\n')))
      .toThrow(/body of 1001 bytes exceeds 1000 bytes/);
  });

  it('a huge declared Content-Length allocates nothing until the bytes come', () => {
    const p = new EslFrameParser({ maxBodyBytes: 64 * 1024 * 1024 });
    p.push(Buffer.from(`Content-Type: api/response\nContent-Length: ${64 * 1024 * 1024}\n\n`));
    p.push(Buffer.alloc(100 * 1024, 0x61));
    expect(p.capacity).toBeLessThanOrEqual(256 * 1024);
  });

  it('the buffer goes back to its first size once a big frame is consumed', () => {
    const p = new EslFrameParser();
    const initial = p.capacity;
    const body = Buffer.alloc(8 * 1024 * 1024, 0x61);
    const bytes = Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${body.length}\n\n`), body]);
    let frames = 0;
    for (let at = 0; at < bytes.length; at += 65536) frames += p.push(bytes.subarray(at, at + 65536)).length;
    expect(frames).toBe(1);
    expect(p.bufferedBytes).toBe(0);
    expect(p.capacity).toBe(initial);
  });

  it('setLimits applies to the frames still to come', () => {
    const p = new EslFrameParser({ maxBodyBytes: 10 });
    expect(() => p.push(Buffer.from('Content-Length: 11\n\n'))).toThrow(EslProtocolError);
    const q = new EslFrameParser({ maxBodyBytes: 10 });
    q.setLimits({ maxBodyBytes: 20 });
    expect(q.push(Buffer.from(`Content-Length: 11\n\n${'z'.repeat(11)}`))).toHaveLength(1);
  });
});

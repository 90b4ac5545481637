/**
 * A webhook receiver's answer is read up to WEBHOOK_MAX_RESPONSE_BYTES, then cut off: a receiver
 * answering with an endless body costs neither memory nor the delivery's timeout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drainCapped, postSigned } from '../../../src/adapters/webhook/post.js';

/** A body stream of `sizes` chunks that counts how many bytes were pulled from it. */
function counted(sizes: number[]): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = sizes[i];
      i += 1;
      if (size === undefined) { controller.close(); return; }
      pulled += size;
      controller.enqueue(new Uint8Array(size));
    },
  }, { highWaterMark: 0 });
  return { body, pulled: () => pulled };
}

describe('drainCapped', () => {
  it('a body of exactly the limit is read to its end', async () => {
    const { body } = counted([400, 600]);
    expect(await drainCapped(body, 1000)).toEqual({ bytes: 1000, cut: false });
  });

  it('one byte more and the body is cut off, the rest never pulled', async () => {
    const { body, pulled } = counted([400, 601, 1_000_000, 1_000_000]);
    expect(await drainCapped(body, 1000)).toEqual({ bytes: 1001, cut: true });
    expect(pulled()).toBe(1001);
  });

  it('no body', async () => {
    expect(await drainCapped(null, 10)).toEqual({ bytes: 0, cut: false });
  });
});

let server: Server | undefined;
afterEach(async () => { await new Promise<void>((r) => { if (server) server.close(() => r()); else r(); }); server = undefined; });

describe('postSigned against a receiver that never stops answering', () => {
  it('is delivered on its status, well within its timeout', async () => {
    let sentBytes = 0;
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (!res.destroyed) {
          sentBytes += chunk.length;
          if (!res.write(chunk)) { res.once('drain', pump); return; }
        }
      };
      res.on('close', () => undefined);
      pump();
    });
    server.on('connection', (s) => { s.on('error', () => undefined); });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const started = performance.now();
    const result = await postSigned({ url: `http://127.0.0.1:${port}/hook`, secret: 'x'.repeat(16), timeoutMs: 20_000, maxResponseBytes: 256 * 1024 }, '{}');
    expect(result).toEqual({ kind: 'delivered', status: 200 });
    expect(performance.now() - started).toBeLessThan(10_000);
    server.closeAllConnections();
    expect(sentBytes).toBeGreaterThan(256 * 1024);
  });
});

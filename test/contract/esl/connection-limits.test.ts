/**
 * An ESL connection's bounds before and after the handshake: a peer past them is dropped with an
 * ESL_ERR_PROTOCOL close and a logged error; one within them is not.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EslConnection, type EslLimits } from '../../../src/adapters/esl/connection.js';
import { EslErrorCode, type EslError } from '../../../src/adapters/esl/errors.js';
import type { EslLogger } from '../../../src/adapters/esl/logger.js';

const LIMITS: EslLimits = { maxHeaderBytes: 4096, maxBodyBytes: 64 * 1024, handshakeMaxBytes: 16 * 1024 };
const event = (n: number): string => {
  const body = JSON.stringify({ 'Event-Name': 'CUSTOM', pad: 'p'.repeat(n) });
  return `Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`;
};

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => { if (server) server.close(() => resolve()); else resolve(); });
  server = undefined;
});

/** A connection to a peer socket the test writes to. */
async function pair(): Promise<{ conn: EslConnection; peer: Socket; errors: unknown[] }> {
  const accepted = new Promise<Socket>((resolve) => { server = createServer(resolve); });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server?.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  const errors: unknown[] = [];
  const log: EslLogger = { error: (o: unknown) => { errors.push(o); }, warn: () => undefined, info: () => undefined, debug: () => undefined };
  const conn = new EslConnection(connect({ host: '127.0.0.1', port: address.port }), log, LIMITS);
  return { conn, peer: await accepted, errors };
}

/** Polls until `done` (the peer's bytes arrive in their own time on a loaded machine). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i += 1) await new Promise((r) => setTimeout(r, 10));
}

const closed = (conn: EslConnection): Promise<EslError> => new Promise((resolve) => conn.once('close', resolve));

describe('ESL connection limits', () => {
  it('before the handshake: exactly handshakeMaxBytes is held, one byte more drops the peer with a logged error', async () => {
    const { conn, peer, errors } = await pair();
    let events = 0;
    conn.on('event', () => { events += 1; });
    const one = event(1000);
    const count = Math.floor(LIMITS.handshakeMaxBytes / Buffer.byteLength(one));
    const filler = LIMITS.handshakeMaxBytes - count * Buffer.byteLength(one);
    peer.write(one.repeat(count) + '\n'.repeat(filler));
    await until(() => events === count);
    expect(events).toBe(count);
    expect(conn.isOpen).toBe(true);
    const gone = closed(conn);
    peer.write('\n');
    const reason = await gone;
    expect(reason.code).toBe(EslErrorCode.protocol);
    expect(reason.message).toMatch(/before its handshake was over/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ handshake: true });
  });

  it('before the handshake a frame is bounded by handshakeMaxBytes even when the body limit is larger', async () => {
    const { conn, peer } = await pair();
    const gone = closed(conn);
    peer.write(`Content-Type: api/response\nContent-Length: ${LIMITS.handshakeMaxBytes + 1}\n\n`);
    expect((await gone).message).toMatch(/exceeds 16384 bytes/);
  });

  it('after the handshake: no cumulative bound, frames up to maxBodyBytes; a bigger one drops the peer', async () => {
    const { conn, peer, errors } = await pair();
    conn.handshakeDone();
    let events = 0;
    conn.on('event', () => { events += 1; });
    const one = event(30 * 1024);
    for (let i = 0; i < 20; i += 1) peer.write(one); // 600 KiB: far past the handshake bound
    await until(() => events === 20);
    expect(events).toBe(20);
    expect(conn.isOpen).toBe(true);
    const gone = closed(conn);
    peer.write(`Content-Type: api/response\nContent-Length: ${LIMITS.maxBodyBytes + 1}\n\n`);
    expect((await gone).code).toBe(EslErrorCode.protocol);
    expect(errors).toHaveLength(1);
  });

  it('after the handshake: a header block past maxHeaderBytes drops the peer', async () => {
    const { conn, peer } = await pair();
    conn.handshakeDone();
    const gone = closed(conn);
    peer.write('X: '.padEnd(LIMITS.maxHeaderBytes + 10, 'y'));
    expect((await gone).message).toMatch(/header block exceeds 4096 bytes/);
  });
});

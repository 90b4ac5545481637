import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EslErrorCode, HANDSHAKE_TIMEOUT_MS, OutboundEslServer, type EslError } from '../../../src/adapters/esl/index.js';
import { collect, next } from './helpers.js';

/** A FreeSWITCH `socket` whose listener thread has not been scheduled yet: it connects and reads, and answers nothing. */
async function silentSwitch(port: number): Promise<{ socket: Socket; received: Promise<string>; closed: Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let text = '';
  const received = new Promise<string>((resolve) => socket.on('data', (d: Buffer) => {
    text += d.toString('latin1');
    if (text.includes('\n\n')) resolve(text);
  }));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received, closed };
}

describe('OutboundEslServer handshake timeout', () => {
  let server: OutboundEslServer | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const s of sockets) s.destroy();
    await server?.close();
  });

  it('waits for a slow switch well past 5 s by default and drops one silent for HANDSHAKE_TIMEOUT_MS', async () => {
    server = new OutboundEslServer({ handler: () => undefined });
    const { port } = await server.listen();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const errors = collect<EslError>(server, 'handshake-error');
    const peer = await silentSwitch(port);
    sockets.push(peer.socket);
    expect(await peer.received).toMatch(/^connect\n\n/);

    vi.advanceTimersByTime(HANDSHAKE_TIMEOUT_MS - 1);
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(0);
    expect(peer.socket.destroyed).toBe(false);

    const failure = next<EslError>(server, 'handshake-error');
    vi.advanceTimersByTime(2);
    const err = await failure;
    expect(err.code).toBe(EslErrorCode.timeout);
    await peer.closed;
    expect(HANDSHAKE_TIMEOUT_MS).toBeGreaterThanOrEqual(15_000);
  });

  it('honours a shorter handshakeTimeoutMs', async () => {
    server = new OutboundEslServer({ handler: () => undefined, handshakeTimeoutMs: 100 });
    const { port } = await server.listen();
    const failure = next<EslError>(server, 'handshake-error');
    const peer = await silentSwitch(port);
    sockets.push(peer.socket);
    expect((await failure).message).toMatch(/within 100 ms/);
    await peer.closed;
  });
});

/** Free ports for one suite's FreeSWITCH, router and sipp instances. */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const taken = new Set<number>();

function tcpFree(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/**
 * A port free for both TCP and UDP (SIP listens on both), never handed out twice in this
 * process. The kernel picks it from its ephemeral range.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i += 1) {
    const port = await tcpFree(0);
    if (taken.has(port) || !(await udpFree(port))) continue;
    taken.add(port);
    return port;
  }
  throw new Error('no free port');
}

/**
 * `count` consecutive UDP ports for RTP, chosen at random below the ephemeral range so that
 * suites running side by side (vitest forks) rarely collide, then checked.
 */
export async function freeUdpRange(count: number): Promise<{ start: number; end: number }> {
  for (let i = 0; i < 100; i += 1) {
    const start = 20_000 + 2 * Math.floor(Math.random() * 5_000);
    const ports = Array.from({ length: count }, (_, k) => start + k);
    if (ports.some((p) => taken.has(p))) continue;
    const free = await Promise.all(ports.map(udpFree));
    if (free.every(Boolean)) {
      for (const p of ports) taken.add(p);
      return { start, end: start + count - 1 };
    }
  }
  throw new Error('no free UDP range');
}

/** Hands a range back once its user is gone, so a long run (a bench's many steps) does not run out. */
export function releaseUdpRange(range: { start: number; end: number }): void {
  for (let p = range.start; p <= range.end; p += 1) taken.delete(p);
}

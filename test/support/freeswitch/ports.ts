/** Free ports for one suite's FreeSWITCH, router and sipp instances. */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { claim, release } from './port-locks.js';

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

/** Single ports (SIP, ESL, HTTP) come from here: below the RTP blocks and the kernel's ephemeral range. */
const PORT_FIRST = 10_000;
const PORT_COUNT = 10_000;

/**
 * A port free for both TCP and UDP (SIP listens on both), never handed out twice on this machine
 * (./port-locks.ts). Not from the kernel's ephemeral range: a port chosen there and bound only
 * later (a sipp agent, minutes after the suite's start) could meanwhile become another process's
 * ephemeral port (seen: sipp exiting on "Address already in use" with e2e suites and the cluster
 * suites running side by side).
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const port = PORT_FIRST + Math.floor(Math.random() * PORT_COUNT);
    if (taken.has(port) || !claim(`port-${port}`)) continue;
    if (!(await tcpFree(port).then(() => true, () => false)) || !(await udpFree(port))) {
      release(`port-${port}`);
      continue;
    }
    taken.add(port);
    return port;
  }
  throw new Error('no free port');
}

const UDP_FIRST = 20_000;
/** Ranges are made of whole blocks, so that processes reserve them with a few files each. */
const UDP_BLOCK = 50;
const UDP_BLOCKS = 240; // up to 32,000, below the kernel's ephemeral range

const blockName = (k: number): string => `udp-block-${k}`;

function claimBlocks(first: number, n: number): boolean {
  for (let k = first; k < first + n; k += 1) {
    if (!claim(blockName(k))) {
      for (let j = first; j < k; j += 1) release(blockName(j));
      return false;
    }
  }
  return true;
}

/**
 * `count` consecutive UDP ports for RTP, below the ephemeral range, in blocks no other process
 * of this machine's test runs holds (./port-locks.ts), then checked free.
 */
export async function freeUdpRange(count: number): Promise<{ start: number; end: number }> {
  const n = Math.ceil(count / UDP_BLOCK);
  for (let i = 0; i < 200; i += 1) {
    const first = Math.floor(Math.random() * (UDP_BLOCKS - n + 1));
    if (!claimBlocks(first, n)) continue;
    const start = UDP_FIRST + first * UDP_BLOCK;
    const ports = Array.from({ length: count }, (_, k) => start + k);
    const free = await Promise.all(ports.map(udpFree));
    if (free.every(Boolean)) return { start, end: start + count - 1 };
    for (let k = first; k < first + n; k += 1) release(blockName(k));
  }
  throw new Error('no free UDP range');
}

/** Hands a range back once its user is gone, so a long run (a bench's many steps) does not run out. */
export function releaseUdpRange(range: { start: number; end: number }): void {
  const first = (range.start - UDP_FIRST) / UDP_BLOCK;
  const n = Math.ceil((range.end - range.start + 1) / UDP_BLOCK);
  for (let k = first; k < first + n; k += 1) release(blockName(k));
}

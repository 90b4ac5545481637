/**
 * tcpdump on loopback for one bench row: packets are written as they come (-U), the capture
 * stops on SIGINT (tcpdump then flushes), and the file is read back with the pure pcap parser.
 * Only SIP (and, for a trace, ESL) ports are captured: RTP would drown the file.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parsePcap, type WirePacket } from '../fs-wire/pcap.js';
import { parseSip, type SipMessage } from '../fs-wire/sip.js';

export interface Capture {
  stop(): Promise<WirePacket[]>;
}

export function tcpdumpAvailable(): boolean {
  try {
    return spawn('tcpdump', ['--version'], { stdio: 'ignore' }).pid !== undefined;
  } catch {
    return false;
  }
}

export async function startCapture(file: string, udpPorts: readonly number[], tcpPorts: readonly number[] = []): Promise<Capture> {
  const filter = [...udpPorts.map((p) => `udp port ${p}`), ...tcpPorts.map((p) => `tcp port ${p}`)].join(' or ');
  const child = spawn('tcpdump', ['-i', 'lo', '-U', '-s', '0', '-B', '8192', '-n', '-w', file, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), 5_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('listening on')) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', () => { clearTimeout(timer); reject(new Error(`tcpdump exited: ${stderr}`)); });
  });
  return {
    async stop() {
      child.kill('SIGINT');
      await exited;
      if (/(\d+) packets dropped by kernel/.exec(stderr)?.[1] !== '0') console.log(`  tcpdump: ${stderr.trim().split('\n').slice(-3).join('; ')}`);
      return parsePcap(readFileSync(file));
    },
  };
}

export function sipMessages(packets: readonly WirePacket[]): SipMessage[] {
  return packets.filter((p) => p.proto === 'udp')
    .map((p) => parseSip(p.payload, p.tsUs, p.srcPort, p.dstPort))
    .filter((m): m is SipMessage => m !== undefined);
}

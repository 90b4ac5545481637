/**
 * Whether some process has a UDP socket bound to a port, read from the kernel's socket tables
 * (/proc/net/udp and udp6) instead of trying to bind the port ourselves: a probe that binds, even
 * for an instant, can hold the port just when the process we wait for binds it — seen as sipp
 * exiting "Unable to bind main socket … Address already in use" on a loaded box.
 */
import { existsSync, readFileSync } from 'node:fs';

const TABLES = ['/proc/net/udp', '/proc/net/udp6'];

/** The local ports in one /proc/net/udp{,6} table (`sl local_address rem_address st …`, hex `ADDR:PORT`). */
export function localPorts(table: string): Set<number> {
  const ports = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const local = line.trim().split(/\s+/)[1];
    const colon = local?.lastIndexOf(':') ?? -1;
    if (local === undefined || colon < 0) continue;
    const port = Number.parseInt(local.slice(colon + 1), 16);
    if (Number.isInteger(port)) ports.add(port);
  }
  return ports;
}

export function udpPortBound(port: number): boolean {
  return TABLES.some((t) => existsSync(t) && localPorts(readFileSync(t, 'utf8')).has(port));
}

/**
 * Polls until `port` is bound: 'bound', or 'exited' once `running()` says the process that was to
 * bind it is gone, or 'timeout'. The caller words the error (it knows the process and its log).
 */
export async function untilUdpBound(port: number, running: () => boolean, timeoutMs: number): Promise<'bound' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (!udpPortBound(port)) {
    if (!running()) return 'exited';
    if (Date.now() > deadline) return 'timeout';
    await new Promise((r) => setTimeout(r, 50));
  }
  return 'bound';
}

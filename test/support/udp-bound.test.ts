import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { localPorts, udpPortBound, untilUdpBound } from './udp-bound.js';

describe('udpPortBound', () => {
  it('reads the local ports of /proc/net/udp and udp6 lines', () => {
    const udp = [
      '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
      '  12: 0100007F:2775 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 0',
      '  40: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4243 2 0000000000000000 0',
    ].join('\n');
    expect([...localPorts(udp)]).toEqual([10101, 68]);
    const udp6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
      '  7: 00000000000000000000000001000000:4E20 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 99 2 0000000000000000 0',
      '',
    ].join('\n');
    expect([...localPorts(udp6)]).toEqual([20000]);
  });

  it('sees a socket another part of the process bound, and no longer once it is closed, without binding the port itself', async () => {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    const { port } = s.address();
    expect(udpPortBound(port)).toBe(true);
    expect(await untilUdpBound(port, () => false, 1_000)).toBe('bound');
    await new Promise<void>((r) => s.close(r));
    expect(udpPortBound(port)).toBe(false);
    // Unbound: the process gone is said at once; one still running, at the deadline.
    expect(await untilUdpBound(port, () => false, 1_000)).toBe('exited');
    expect(await untilUdpBound(port, () => true, 100)).toBe('timeout');
  });
});

/**
 * The packets of a classic pcap file (what `tcpdump -w` writes), reduced to what the FreeSWITCH
 * bench reads: capture time, IPv4 ports and the UDP or TCP payload. Link types: Ethernet (1, what
 * Linux's `lo` reports), Linux cooked v1/v2 (113/276, `-i any`), BSD loopback (0) and raw IP
 * (101). Other packets (IPv6, ARP, fragments) are skipped, not guessed at.
 */

export interface WirePacket {
  /** Capture time, microseconds since the epoch. */
  readonly tsUs: number;
  readonly proto: 'udp' | 'tcp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Buffer;
}

const LINK_HEADER: Readonly<Record<number, number>> = { 0: 4, 1: 14, 101: 0, 113: 16, 276: 20 };

function ipv4Offset(link: number, frame: Buffer): number | undefined {
  const header = LINK_HEADER[link];
  if (header === undefined) throw new Error(`pcap: link type ${link} not supported`);
  if (link === 1 && frame.readUInt16BE(12) !== 0x0800) return undefined;
  if (link === 113 && frame.readUInt16BE(14) !== 0x0800) return undefined;
  if (link === 276 && frame.readUInt16BE(0) !== 0x0800) return undefined;
  if (frame.length < header + 20 || (frame[header] ?? 0) >> 4 !== 4) return undefined;
  return header;
}

export function parsePcap(buf: Buffer): WirePacket[] {
  if (buf.length < 24) return [];
  const magic = buf.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d) throw new Error('pcap: not a pcap file');
  const nanos = (little ? magic : buf.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (o: number): number => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const link = u32(20);
  const out: WirePacket[] = [];
  // A capture cut short (tcpdump killed mid-write) ends in a partial record: stop there.
  for (let o = 24; o + 16 <= buf.length;) {
    const tsUs = u32(o) * 1e6 + (nanos ? Math.floor(u32(o + 4) / 1000) : u32(o + 4));
    const captured = u32(o + 8);
    const start = o + 16;
    o = start + captured;
    if (o > buf.length) break;
    const packet = decode(link, buf.subarray(start, o), tsUs);
    if (packet !== undefined) out.push(packet);
  }
  return out;
}

function decode(link: number, frame: Buffer, tsUs: number): WirePacket | undefined {
  const ip = ipv4Offset(link, frame);
  if (ip === undefined) return undefined;
  const ihl = ((frame[ip] ?? 0) & 0x0f) * 4;
  const total = frame.readUInt16BE(ip + 2);
  const fragment = frame.readUInt16BE(ip + 6) & 0x3fff;
  if (fragment !== 0) return undefined;
  const end = Math.min(frame.length, ip + total);
  const l4 = ip + ihl;
  const proto = frame[ip + 9];
  if (proto === 17 && l4 + 8 <= end) {
    return { tsUs, proto: 'udp', srcPort: frame.readUInt16BE(l4), dstPort: frame.readUInt16BE(l4 + 2), payload: frame.subarray(l4 + 8, end) };
  }
  if (proto === 6 && l4 + 20 <= end) {
    const dataOffset = ((frame[l4 + 12] ?? 0) >> 4) * 4;
    return { tsUs, proto: 'tcp', srcPort: frame.readUInt16BE(l4), dstPort: frame.readUInt16BE(l4 + 2), payload: frame.subarray(l4 + dataOffset, end) };
  }
  return undefined;
}

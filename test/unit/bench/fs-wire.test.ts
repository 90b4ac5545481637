import { describe, expect, it } from 'vitest';
import { parsePcap } from '../../../bench/support/fs-wire/pcap.js';
import { parseSip, uriUser } from '../../../bench/support/fs-wire/sip.js';
import { connectTimes, freedTimes, connectedCallers } from '../../../bench/support/fs-wire/latency.js';
import { describeCommands, describeReplies } from '../../../bench/support/fs-wire/esl-trace.js';

/** A classic little-endian pcap with Ethernet frames carrying IPv4 UDP or TCP. */
function pcap(packets: { tsUs: number; proto: 'udp' | 'tcp'; src: number; dst: number; payload: string; truncate?: number }[], nanos = false): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(1, 20);
  const records = packets.map((p) => {
    const payload = Buffer.from(p.payload, 'latin1');
    const l4 = p.proto === 'udp' ? Buffer.alloc(8) : Buffer.alloc(20);
    l4.writeUInt16BE(p.src, 0);
    l4.writeUInt16BE(p.dst, 2);
    if (p.proto === 'tcp') l4[12] = 5 << 4;
    else l4.writeUInt16BE(8 + payload.length, 4);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + l4.length + payload.length, 2);
    ip[9] = p.proto === 'udp' ? 17 : 6;
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    const frame = Buffer.concat([eth, ip, l4, payload]);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(p.tsUs / 1e6), 0);
    rec.writeUInt32LE((p.tsUs % 1e6) * (nanos ? 1000 : 1), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]).subarray(0, p.truncate ?? undefined);
  });
  return Buffer.concat([head, ...records]);
}

const invite = (callId: string, from: string, to: string): string =>
  `INVITE sip:${to}@127.0.0.1:5080 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1\r\nFrom: "x" <sip:${from}@127.0.0.1>;tag=1\r\nTo: <sip:${to}@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\n\r\nv=0\r\n`;
const bye = (callId: string): string => `BYE sip:fs@127.0.0.1 SIP/2.0\r\ni: ${callId}\r\nCSeq: 2 BYE\r\nf: <sip:agent@127.0.0.1>\r\nt: <sip:x@127.0.0.1>\r\n\r\n`;

describe('parsePcap', () => {
  it('reads UDP and TCP payloads, ports and microsecond times', () => {
    const packets = parsePcap(pcap([
      { tsUs: 1_700_000_000_123_456, proto: 'udp', src: 5000, dst: 5080, payload: 'hello' },
      { tsUs: 1_700_000_000_200_000, proto: 'tcp', src: 40000, dst: 8021, payload: 'api status\n\n' },
    ]));
    expect(packets.map((p) => [p.tsUs, p.proto, p.srcPort, p.dstPort, p.payload.toString()])).toEqual([
      [1_700_000_000_123_456, 'udp', 5000, 5080, 'hello'],
      [1_700_000_000_200_000, 'tcp', 40000, 8021, 'api status\n\n'],
    ]);
  });

  it('reads nanosecond captures and stops at a record cut short', () => {
    const buf = pcap([
      { tsUs: 2_000_000_000_000_001, proto: 'udp', src: 1, dst: 2, payload: 'a' },
      { tsUs: 2_000_000_000_000_002, proto: 'udp', src: 1, dst: 2, payload: 'bbbb', truncate: 30 },
    ], true);
    expect(parsePcap(buf).map((p) => p.tsUs)).toEqual([2_000_000_000_000_001]);
  });

  it('refuses what is not a pcap', () => {
    expect(() => parsePcap(Buffer.alloc(40, 7))).toThrow(/not a pcap/);
  });
});

describe('parseSip', () => {
  it('reads requests, responses and compact headers', () => {
    const req = parseSip(invite('c1', '13800131', '12345'), 10, 6000, 5080);
    expect(req).toMatchObject({ method: 'INVITE', callId: 'c1', cseqMethod: 'INVITE', fromUser: '13800131', toUser: '12345', uriUser: '12345' });
    expect(parseSip(bye('c2'), 1, 2, 3)).toMatchObject({ method: 'BYE', callId: 'c2', fromUser: 'agent' });
    expect(parseSip('SIP/2.0 200 OK\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n\r\n', 1, 2, 3)).toMatchObject({ status: 200, cseqMethod: 'INVITE' });
    expect(parseSip('not sip', 1, 2, 3)).toBeUndefined();
    expect(uriUser('<sip:127.0.0.1>')).toBe('');
  });
});

describe('connect and freed times', () => {
  const ports = { carrier: 5080, agents: 5090 };
  const at = (ms: number): number => ms * 1000;
  const msg = (ms: number, text: string, src: number, dst: number) => parseSip(text, at(ms), src, dst) as NonNullable<ReturnType<typeof parseSip>>;

  it('ties each caller to its first agent INVITE by the caller number, ignoring retransmissions', () => {
    const msgs = [
      msg(0, invite('a', '111', '12345'), 6000, 5080),
      msg(500, invite('a', '111', '12345'), 6000, 5080),
      msg(10, invite('b', '222', '12345'), 6000, 5080),
      msg(70, invite('leg1', '111', '2001'), 5090, 7000),
      msg(90, invite('leg2', '111', '2002'), 5090, 7000),
      msg(700, invite('leg1', '111', '2001'), 5090, 7000),
    ];
    expect(connectTimes(msgs, ports)).toEqual({ ms: [70], unconnected: 1 });
    expect([...connectedCallers(msgs, ports)]).toEqual(['111']);
  });

  it('times an agent BYE to the next INVITE to that same agent', () => {
    const msgs = [
      msg(0, invite('leg1', '111', '2001'), 5090, 7000),
      msg(5, invite('leg2', '222', '2002'), 5090, 7000),
      msg(1000, bye('leg1'), 7000, 5090),
      msg(1001, bye('leg1'), 7000, 5090),
      msg(1040, invite('leg3', '333', '2002'), 5090, 7000),
      msg(1075, invite('leg4', '444', '2001'), 5090, 7000),
      msg(2000, bye('leg4'), 7000, 5090),
    ];
    expect(freedTimes(msgs, ports)).toEqual([75]);
  });
});

describe('ESL trace lines', () => {
  it('names the commands of one segment', () => {
    const text = 'sendmsg\ncall-command: execute\nexecute-app-name: answer\nevent-uuid: x\n\napi uuid_break u all\n\nsendmsg\ncall-command: hangup\nevent-lock: true\n\n';
    expect(describeCommands(text)).toEqual(['execute answer', 'api uuid_break u all', 'sendmsg hangup (event-lock)']);
  });

  it('reads an argument from its body by content-length, in bytes, and the command after it', () => {
    const arg = 'hotline_line_name=交通热线';
    const bytes = Buffer.from(`sendmsg\ncall-command: execute\nexecute-app-name: multiset\ncontent-type: text/plain\ncontent-length: ${Buffer.byteLength(arg)}\n\n${arg}` +
      'sendmsg\ncall-command: execute\nexecute-app-name: answer\n\n');
    expect(describeCommands(bytes.toString('latin1'))).toEqual([`execute multiset ${arg}`, 'execute answer']);
  });

  it('names replies and events, also a JSON body that came without its headers', () => {
    expect(describeReplies('Content-Type: command/reply\nReply-Text: +OK\n\nContent-Type: api/response\nContent-Length: 3\n\n+OK')).toEqual(['reply +OK', 'api/response']);
    expect(describeReplies('{"Event-Name":"CHANNEL_EXECUTE","Application":"bridge"}')).toEqual(['event CHANNEL_EXECUTE bridge']);
    expect(describeReplies('Content-Length: 10\nContent-Type: text/event-plain\n\nEvent-Name: DTMF\n')).toEqual(['event DTMF']);
  });
});

import { describe, expect, it } from 'vitest';
import { CommandReader, apiResponse, commandReply, eventFrame, fsUrlEncode, serializePlain } from './framing.js';

describe('fs-peer framing', () => {
  it('reads commands split anywhere, with lower-cased headers and a content-length body', () => {
    const text = 'api status\n\nsendmsg\ncall-command: execute\nExecute-App-Name: set\ncontent-type: text/plain\ncontent-length: 7\n\na=1\nb=2\n\nexit\n\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const r = new CommandReader();
      const cmds = [...r.push(bytes.subarray(0, cut)), ...r.push(bytes.subarray(cut))];
      expect(cmds.map((c) => c.line)).toEqual(['api status', 'sendmsg', 'exit']);
      expect(cmds[1]?.headers.get('execute-app-name')).toBe('set');
      expect(cmds[1]?.body).toBe('a=1\nb=2');
    }
  });

  it('writes replies and api responses as mod_event_socket does', () => {
    expect(commandReply('+OK Job-UUID: j', [['Job-UUID', 'j']])).toBe('Content-Type: command/reply\nReply-Text: +OK Job-UUID: j\nJob-UUID: j\n\n');
    expect(apiResponse('中')).toBe('Content-Type: api/response\nContent-Length: 3\n\n中');
    expect(apiResponse('')).toBe('Content-Type: api/response\nContent-Length: 14\n\n-ERR no reply\n');
  });

  it('serializes plain events url-encoded with a byte-counted body, json with _body', () => {
    expect(fsUrlEncode('+OK\n')).toBe('%2BOK%0A');
    expect(serializePlain([['A', 'x y'], ['B', '']], 'hé')).toBe('A: x%20y\nB: _undef_\nContent-Length: 3\n\nhé');
    const frame = eventFrame('json', [['Event-Name', 'HEARTBEAT']], 'ok');
    const [head, payload = ''] = frame.split('\n\n');
    expect(head).toBe(`Content-Length: ${Buffer.byteLength(payload)}\nContent-Type: text/event-json`);
    expect(JSON.parse(payload)).toEqual({ 'Event-Name': 'HEARTBEAT', 'Content-Length': '2', _body: 'ok' });
  });
});

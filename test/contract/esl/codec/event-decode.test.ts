import { describe, expect, it } from 'vitest';
import { decodeEventFrame, decodeJsonEvent, decodePlainEvent } from '../../../../src/adapters/esl/codec/event-decode.js';
import { fsUrlEncode, safeUrlDecode } from '../../../../src/adapters/esl/codec/url.js';

describe('safeUrlDecode', () => {
  it('decodes FreeSWITCH escapes and keeps "+" literal', () => {
    expect(safeUrlDecode('Mon%2C%2002%20Jan')).toBe('Mon, 02 Jan');
    expect(safeUrlDecode('%2BOK%0A')).toBe('+OK\n');
    expect(safeUrlDecode('a+b')).toBe('a+b');
    expect(safeUrlDecode('%E4%B8%AD%E6%96%87')).toBe('中文');
  });

  it('never throws on malformed escapes (modesl crashes here)', () => {
    expect(() => decodeURIComponent('100%')).toThrow(URIError);
    expect(safeUrlDecode('100%')).toBe('100%');
    expect(safeUrlDecode('%zz%41')).toBe('%zzA');
    expect(safeUrlDecode('bad %E4%B8 utf8 %41')).toBe('bad \uFFFD utf8 A');
  });

  it('round-trips FreeSWITCH encoding, which does not double-encode an existing %XX', () => {
    for (const s of ['sip:1000@10.0.0.1;transport=udp', '中文 & <x>', 'a\nb\r\n', 'quote"back`']) {
      expect(safeUrlDecode(fsUrlEncode(s))).toBe(s);
    }
    expect(fsUrlEncode('50%25 off')).toBe('50%25%20off');
  });
});

describe('decodeJsonEvent', () => {
  it('maps the typed fields, the body and array headers', () => {
    const r = decodeJsonEvent(JSON.stringify({
      'Event-Name': 'BACKGROUND_JOB', 'Event-Sequence': '42', 'Job-UUID': 'j1', 'Content-Length': '3', _body: '+OK',
      'variable_sip_h_X-Tag': ['a', 'b'],
    }));
    expect(r).toEqual({ ok: true, event: {
      name: 'BACKGROUND_JOB', sequence: 42, body: '+OK',
      headers: { 'Event-Name': 'BACKGROUND_JOB', 'Event-Sequence': '42', 'Job-UUID': 'j1', 'Content-Length': '3', 'variable_sip_h_X-Tag': 'ARRAY::a|:b' },
    } });
  });

  it('keeps subclass and uuid, and fails softly on bad input', () => {
    const r = decodeJsonEvent('{"Event-Name":"CUSTOM","Event-Subclass":"sofia::register","Unique-ID":"u1"}');
    expect(r.ok && r.event.subclass).toBe('sofia::register');
    expect(r.ok && r.event.uuid).toBe('u1');
    expect(r.ok && 'sequence' in r.event).toBe(false);
    expect(decodeJsonEvent('{"Event-Name":')).toMatchObject({ ok: false });
    expect(decodeJsonEvent('[1]')).toMatchObject({ ok: false });
    expect(decodeJsonEvent('{"Unique-ID":"x"}')).toMatchObject({ ok: false, reason: 'event without Event-Name' });
  });
});

describe('decodePlainEvent', () => {
  it('url-decodes values and extracts the Content-Length body by bytes', () => {
    const body = '+OK 中文\n';
    const text = `Event-Name: BACKGROUND_JOB\nEvent-Date-GMT: Mon,%2002%20Jan\nEvent-Sequence: 7\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
    const r = decodePlainEvent(text);
    expect(r).toMatchObject({ ok: true, event: { name: 'BACKGROUND_JOB', sequence: 7, body, headers: { 'Event-Date-GMT': 'Mon, 02 Jan' } } });
  });

  it('survives a malformed %-escape in a header value', () => {
    const r = decodePlainEvent('Event-Name: CHANNEL_ANSWER\nUnique-ID: u2\nvariable_note: 100%%20sure %E4\n\n');
    expect(r.ok).toBe(true);
    expect(r.ok && r.event.headers['variable_note']).toBe('100% sure \uFFFD');
    expect(r.ok && r.event.uuid).toBe('u2');
  });
});

describe('decodeEventFrame', () => {
  it('dispatches on Content-Type and refuses non-events', () => {
    expect(decodeEventFrame({ headers: { 'Content-Type': 'text/event-json' }, body: '{"Event-Name":"HEARTBEAT"}' }))
      .toMatchObject({ ok: true, event: { name: 'HEARTBEAT' } });
    expect(decodeEventFrame({ headers: { 'Content-Type': 'text/event-plain' }, body: 'Event-Name: HEARTBEAT\n\n' }))
      .toMatchObject({ ok: true, event: { name: 'HEARTBEAT' } });
    expect(decodeEventFrame({ headers: { 'Content-Type': 'api/response' }, body: 'x' })).toMatchObject({ ok: false });
  });
});

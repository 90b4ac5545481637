import { describe, expect, it } from 'vitest';
import { bridgeArg, failureKind } from '../../../src/adapters/esl/media-control.js';
import { FilePromptCatalog, channelFacts } from '../../../src/app/call/index.js';
import { MemoryCallRecordSink, type CallRecord } from '../../../src/app/records/index.js';

const rec = (callSid: string, arrivedAt: number): CallRecord => ({
  callSid, fsUuid: `fs-${callSid}`, line: '12345', mode: 'hotline', queue: 'general', hops: [], arrivedAt, queuedAt: arrivedAt,
  answeredAt: undefined, agentId: undefined, agentsTried: [], endedAt: arrivedAt + 1000, outcome: 'abandoned',
  waitSeconds: 1, waitFromArrivalSeconds: 1, survey: undefined, hangupCause: 'NORMAL_CLEARING',
});

describe('MemoryCallRecordSink', () => {
  it('keeps the last `capacity` records, oldest first', () => {
    const sink = new MemoryCallRecordSink(3);
    for (let i = 1; i <= 5; i += 1) sink.add(rec(`c${i}`, i));
    expect(sink.all().map((r) => r.callSid)).toEqual(['c3', 'c4', 'c5']);
    expect(sink.size).toBe(3);
    expect(sink.find('c4')?.fsUuid).toBe('fs-c4');
    expect(sink.find('c1')).toBeUndefined();
  });

  it('queries by local day of arrival in the hotline time zone', () => {
    const sink = new MemoryCallRecordSink(10, 'Asia/Shanghai');
    sink.add(rec('late', Date.parse('2026-03-02T15:59:59Z'))); // 23:59:59 local on the 2nd
    sink.add(rec('early', Date.parse('2026-03-02T16:00:00Z'))); // 00:00 local on the 3rd
    expect(sink.byDay('2026-03-02').map((r) => r.callSid)).toEqual(['late']);
    expect(sink.byDay('2026-03-03').map((r) => r.callSid)).toEqual(['early']);
  });

  it('tells subscribers about each record', () => {
    const sink = new MemoryCallRecordSink(2);
    const seen: string[] = [];
    const off = sink.subscribe((r) => seen.push(r.callSid));
    sink.add(rec('a', 1));
    off();
    sink.add(rec('b', 2));
    expect(seen).toEqual(['a']);
  });
});

describe('prompts and channel data', () => {
  const catalog = new FilePromptCatalog({ hold: { file: 'local_stream://moh' }, welcome: { text: '您好' } }, '/p');
  it('file prompts play their file, text prompts their rendered WAV', () => {
    expect(catalog.file('hold')).toBe('local_stream://moh');
    expect(catalog.file('welcome')).toBe('/p/welcome.wav');
    expect(catalog.hold()).toBe('local_stream://moh');
    expect(new FilePromptCatalog({}, '/p').hold()).toBe('local_stream://moh');
  });
  it('announcements: position, and wait minutes only when known; capped at the rendered range', () => {
    expect(catalog.announcement(3, 2)).toEqual(['/p/position-3.wav', '/p/wait-2.wav']);
    expect(catalog.announcement(50, 30)).toEqual(['/p/position-50.wav', '/p/wait-30.wav']);
    // Past the rendered range the renderer made one "50多位" / "30多分钟" phrase.
    expect(catalog.announcement(120, 45)).toEqual(['/p/position-over.wav', '/p/wait-over.wav']);
  });
  it('the dialplan\'s hotline_line wins over the dialed number', () => {
    expect(channelFacts({ 'Caller-Destination-Number': '057112319', 'Caller-Caller-ID-Number': '138' })).toEqual({ to: '057112319', from: '138', dialed: '057112319' });
    // The record keeps the number as delivered; routing uses the mapped line.
    expect(channelFacts({ 'Caller-Destination-Number': '88001234', variable_hotline_line: '12319' })).toMatchObject({ to: '12319', dialed: '88001234' });
  });
  it('the SIP edge\'s X-Hotline-Line wins over both, and its X-Hotline-Dialed is the number as delivered', () => {
    const behindEdge = {
      'Caller-Destination-Number': '12328', variable_hotline_line: '12328',
      'variable_sip_h_X-Hotline-Line': '12328', 'variable_sip_h_X-Hotline-Dialed': '+8657112328',
    };
    expect(channelFacts(behindEdge)).toMatchObject({ to: '12328', dialed: '+8657112328' });
    expect(channelFacts({ ...behindEdge, 'Caller-Destination-Number': '88001234', variable_hotline_line: '' })).toMatchObject({ to: '12328' });
    expect(channelFacts({ 'Caller-Destination-Number': '12319', variable_hotline_line: '12319', 'variable_sip_h_X-Hotline-Line': '12366' }).to).toBe('12366');
    // An empty header is no line.
    expect(channelFacts({ 'Caller-Destination-Number': '88001234', 'variable_sip_h_X-Hotline-Line': ' ' })).toMatchObject({ to: '88001234', dialed: '88001234' });
  });
});

describe('ESL media helpers', () => {
  it('bridge ring timeout goes in front of the dial string, merging an existing {…}', () => {
    expect(bridgeArg('user/1001', 20)).toBe('{originate_timeout=20,leg_timeout=20,ignore_early_media=ring_ready}user/1001');
    expect(bridgeArg('{sip_h_X-Line=12319}user/1001', 15)).toBe('{originate_timeout=15,leg_timeout=15,ignore_early_media=ring_ready,sip_h_X-Line=12319}user/1001');
  });
  it.each([
    ['NO_ANSWER', 'no-answer'], ['NO_USER_RESPONSE', 'no-answer'], ['USER_BUSY', 'busy'], ['CALL_REJECTED', 'busy'],
    ['UNALLOCATED_NUMBER', 'failed'], ['USER_NOT_REGISTERED', 'failed'],
  ])('originate cause %s → %s', (cause, kind) => {
    expect(failureKind(cause)).toBe(kind);
  });
});

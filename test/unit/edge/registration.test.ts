import { describe, expect, it } from 'vitest';
import { MAX_CONTACTS, nodeSources, readRegister, SourceRate, uriUser } from '../../../src/core/edge/index.js';
import { invite } from './edge-fixtures.js';

const LIMITS = { minExpires: 60, maxExpires: 3600, defaultExpires: 3600 };
const reg = (headers: Record<string, string>) => readRegister(invite('sip:edge.example', headers, '192.0.2.7'), LIMITS);

describe('readRegister', () => {
  it('binds each contact with its own expires, else the Expires header, else the default; cut to the maximum', () => {
    expect(reg({ To: '<sip:1001@edge.example>', Contact: '<sip:1001@192.0.2.7:5062>;expires=120, "soft" <sip:1001@192.0.2.8>', Expires: '600' })).toEqual({
      kind: 'update', user: '1001', bindings: [{ contact: 'sip:1001@192.0.2.7:5062', expires: 120 }, { contact: 'sip:1001@192.0.2.8', expires: 600 }],
    });
    expect(reg({ To: 'sip:1001@edge.example', Contact: '<sip:1001@192.0.2.7>' })).toMatchObject({ bindings: [{ expires: 3600 }] });
    expect(reg({ To: 'sip:1001@edge.example', Contact: '<sip:1001@192.0.2.7>;expires=86400' })).toMatchObject({ bindings: [{ expires: 3600 }] });
  });

  it('expires 0 removes one binding; Contact * with Expires 0 removes all; no Contact lists them', () => {
    expect(reg({ To: 'sip:1001@e', Contact: '<sip:1001@192.0.2.7>;expires=0' })).toMatchObject({ kind: 'update', bindings: [{ expires: 0 }] });
    expect(reg({ To: 'sip:1001@e', Contact: '*', Expires: '0' })).toEqual({ kind: 'remove-all', user: '1001' });
    expect(reg({ To: 'sip:1001@e' })).toEqual({ kind: 'query', user: '1001' });
  });

  it('a non-zero expiry below the minimum is 423 Interval Too Brief', () => {
    expect(reg({ To: 'sip:1001@e', Contact: '<sip:1001@192.0.2.7>', Expires: '30' })).toEqual({ kind: 'too-brief', user: '1001', minExpires: 60 });
  });

  it('refuses malformed requests with a reason instead of guessing', () => {
    const bad = (h: Record<string, string>) => expect(reg(h).kind).toBe('bad');
    bad({ Contact: '<sip:1001@192.0.2.7>' });
    bad({ To: '<tel:+8657112345>', Contact: '<sip:1001@192.0.2.7>' });
    bad({ To: 'sip:1001@e', Contact: '*' });
    bad({ To: 'sip:1001@e', Contact: '<sip:1001@192.0.2.7>', Expires: 'soon' });
    bad({ To: 'sip:1001@e', Contact: '<sip:1001@192.0.2.7>;expires=-1' });
    bad({ To: 'sip:1001@e', Contact: '<http://192.0.2.7/>' });
    bad({ To: 'sip:1001@e', Contact: `<sip:1001@${'a'.repeat(300)}>` });
    bad({ To: 'sip:1001@e', Contact: Array.from({ length: MAX_CONTACTS + 1 }, (_, i) => `<sip:p${i}@192.0.2.7>`).join(', ') });
  });

  it('uriUser reads the user part, decoded, without parameters or password', () => {
    expect(uriUser('sip:agent-1001@edge')).toBe('agent-1001');
    expect(uriUser('sips:10%2001;x=y:pw@edge:5061')).toBe('10 01');
    expect(uriUser('sip:edge.example')).toBeUndefined();
    expect(uriUser('tel:12345')).toBeUndefined();
    expect(uriUser('sip:%zz@edge')).toBeUndefined();
  });
});

describe('SourceRate', () => {
  it('lets a source send its limit per window, refuses past it, and starts again in the next window', () => {
    const rate = new SourceRate(3, 60_000);
    expect([1, 2, 3, 4].map((i) => rate.hit('192.0.2.7', i))).toEqual([true, true, true, false]);
    expect(rate.hit('192.0.2.8', 5)).toBe(true);
    expect(rate.hit('192.0.2.7', 60_001)).toBe(true);
  });

  it('a weighted hit (a failed password) uses the budget up faster', () => {
    const rate = new SourceRate(5, 60_000);
    expect(rate.hit('192.0.2.7', 0)).toBe(true);
    rate.hit('192.0.2.7', 1, 4);
    expect(rate.hit('192.0.2.7', 2)).toBe(false);
  });

  it('tracks at most maxSources addresses (a flood from many addresses cannot grow memory)', () => {
    const rate = new SourceRate(1, 60_000, 100);
    for (let i = 0; i < 1000; i++) rate.hit(`10.0.${i >> 8}.${i & 255}`, i);
    expect(rate.tracked).toBe(100);
  });
});

describe('nodeSources', () => {
  const nodes = [{ name: 'fs-a', sip: '10.0.0.11:5060' }, { name: 'fs-b', sip: '127.0.0.1:5070' }];

  it('knows a node by its SIP host:port, and by its host alone when no trunk claims that address', () => {
    const s = nodeSources(nodes, (source) => source === '127.0.0.1');
    expect(s.nodeOf('10.0.0.11', '5060')).toBe('fs-a');
    expect(s.nodeOf('::ffff:10.0.0.11', 5080)).toBe('fs-a');
    expect(s.nodeOf('127.0.0.1', '5070')).toBe('fs-b');
    expect(s.nodeOf('127.0.0.1', '5060')).toBeUndefined();
    expect(s.nodeOf('203.0.113.10', '5060')).toBeUndefined();
    expect(s.nodeOf('not-an-address', '5060')).toBeUndefined();
  });
});

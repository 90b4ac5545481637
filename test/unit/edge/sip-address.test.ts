import { describe, expect, it } from 'vitest';
import { addressNumber, diversionNumbers, historyInfoNumbers, parseAddress, splitHeaderList, uriNumber } from '../../../src/core/edge/index.js';

describe('uriNumber', () => {
  it.each([
    ['sip:12328@10.0.0.1', '12328'],
    ['sip:12328@10.0.0.1:5060;user=phone', '12328'],
    ['sips:+8612328@carrier.example', '+8612328'],
    ['sip:%2B8657112328@gw;user=phone', '+8657112328'],
    ['sip:+86-571-12328;isub=1@gw;user=phone', '+8657112328'],
    ['sip:0571-12328;npdi;rn=+8657100000@gw', '057112328'],
    ['sip:12328:secret@gw', '12328'],
    ['sip:12328@gw?Reason=SIP%3Bcause%3D302', '12328'],
    ['tel:+86-571-12328', '+8657112328'],
    ['tel:12328;phone-context=+86571', '12328'],
    ['TEL:(0571) 12328', '057112328'],
  ])('%s → %s', (uri, number) => {
    expect(uriNumber(uri)).toBe(number);
  });

  it.each(['sip:gw.example', 'mailto:a@b', 'http://x@y', 'sip:@gw', '12328', 'sip:%zz@gw', ''])('%s has no number', (uri) => {
    expect(uriNumber(uri)).toBeUndefined();
  });
});

describe('splitHeaderList and parseAddress', () => {
  it('splits at commas outside quotes and angle brackets', () => {
    expect(splitHeaderList('"Wang, Fang" <sip:1@a>;x=1, <sip:2@b;p=a,b>, sip:3@c')).toEqual([
      '"Wang, Fang" <sip:1@a>;x=1', '<sip:2@b;p=a,b>', 'sip:3@c',
    ]);
    expect(splitHeaderList(' , ')).toEqual([]);
  });

  it('reads a name-addr: URI parameters stay in the URI, header parameters after it', () => {
    const e = parseAddress('"交通 <12328>" <sip:12328@gw;user=phone>;tag=abc;Reason="x y"');
    expect(e?.uri).toBe('sip:12328@gw;user=phone');
    expect(Object.fromEntries(e?.params ?? [])).toEqual({ tag: 'abc', reason: 'x y' });
  });

  it('reads an addr-spec: its parameters are the header\'s', () => {
    const e = parseAddress('sip:12328@gw;tag=1');
    expect(e?.uri).toBe('sip:12328@gw');
    expect(e?.params.get('tag')).toBe('1');
  });

  it.each(['<sip:1@a', '"open <sip:1@a>', '<>', 'a b c', ''])('refuses malformed %j', (v) => {
    expect(parseAddress(v)).toBeUndefined();
  });
});

describe('single-address headers', () => {
  it.each([
    ['"12328" <sip:12328@edge>;tag=77', '12328'],
    ['<tel:+8612328>', '+8612328'],
    ['sip:057112328@edge;tag=1', '057112328'],
    ['<sip:12328@a>, <sip:99999@b>', '12328'],
  ])('%s → %s', (value, number) => {
    expect(addressNumber(value)).toBe(number);
  });
});

describe('Diversion (RFC 5806)', () => {
  it('lists the originally dialed number first: the bottom entry', () => {
    const v = '<sip:057188001234@carrier>;reason=unconditional;counter=1;privacy=off, <sip:12328@carrier>;reason=no-answer;counter=1';
    expect(diversionNumbers(v)).toEqual(['12328', '057188001234']);
  });

  it('skips entries without a number and survives garbage', () => {
    expect(diversionNumbers('<sip:carrier.example>;reason=deflection, <tel:+8612315>;reason=unknown')).toEqual(['+8612315']);
    expect(diversionNumbers('<<<,>>>"')).toEqual([]);
  });
});

describe('History-Info (RFC 7044)', () => {
  it('puts index 1, the first target, first whatever the order on the wire', () => {
    const v = [
      '<sip:057188001234@carrier?Reason=SIP%3Bcause%3D302>;index=1.1;mp=1',
      '<sip:12333@carrier;user=phone>;index=1',
      '<sip:12345@edge>;index=1.1.1;rc=1.1',
    ].join(', ');
    expect(historyInfoNumbers(v)).toEqual(['12333', '057188001234', '12345']);
  });

  it('orders 1.2 after 1.1.5 and entries without an index last', () => {
    const v = '<sip:3@x>, <sip:2@x>;index=1.2, <sip:1@x>;index=1.1.5';
    expect(historyInfoNumbers(v)).toEqual(['1', '2', '3']);
  });
});

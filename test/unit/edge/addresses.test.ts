import { describe, expect, it } from 'vitest';
import { blocksOverlap, parseSource, sourceMatcher, type SourceBlock } from '../../../src/core/edge/index.js';

const block = (text: string): SourceBlock => {
  const p = parseSource(text);
  if (!p.ok) throw new Error(p.reason);
  return p.block;
};

describe('parseSource', () => {
  it('reads addresses as blocks of one and CIDR blocks', () => {
    expect(block('203.0.113.10').prefixLength).toBe(32);
    expect(block('2001:db8::1').prefixLength).toBe(128);
    expect(block('198.51.100.0/28').prefixLength).toBe(28);
    expect(block('2001:db8::/64').network.toString()).toBe('2001:db8::');
  });

  it.each(['203.0.113', '3232235777', '0xc0.0.0.1', '203.0.113.0/33', '2001:db8::/129', '10.0.0.0/', 'host.example', ''])('refuses %j', (text) => {
    expect(parseSource(text).ok).toBe(false);
  });
});

describe('blocksOverlap', () => {
  it('is true for nested blocks and false for disjoint ones or other families', () => {
    expect(blocksOverlap(block('10.0.0.0/8'), block('10.1.2.3'))).toBe(true);
    expect(blocksOverlap(block('10.1.2.3'), block('10.0.0.0/8'))).toBe(true);
    expect(blocksOverlap(block('10.0.0.0/25'), block('10.0.0.128/25'))).toBe(false);
    expect(blocksOverlap(block('10.0.0.0/8'), block('::a00:1'))).toBe(false);
  });
});

describe('sourceMatcher', () => {
  const m = sourceMatcher([
    { owner: 'telecom', sources: ['203.0.113.0/24'] },
    { owner: 'mobile', sources: ['198.51.100.7', '2001:db8:5::/48'] },
  ]);
  it.each([
    ['203.0.113.200', 'telecom'],
    ['::ffff:203.0.113.1', 'telecom'],
    ['198.51.100.7', 'mobile'],
    ['[2001:db8:5::9]', 'mobile'],
    ['198.51.100.8', undefined],
    ['2001:db8:6::1', undefined],
    ['not-an-address', undefined],
    ['', undefined],
  ])('%s → %s', (peer, owner) => {
    expect(m.match(peer)).toBe(owner);
  });

  it('prefers the most specific block', () => {
    const nested = sourceMatcher([{ owner: 'wide', sources: ['10.0.0.0/8'] }, { owner: 'narrow', sources: ['10.9.0.0/16'] }]);
    expect(nested.match('10.9.1.1')).toBe('narrow');
    expect(nested.match('10.8.1.1')).toBe('wide');
  });
});

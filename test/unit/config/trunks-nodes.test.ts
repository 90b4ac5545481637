import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import { buildRoutingTable, route } from '../../../src/core/routing/index.js';
import type { FreeswitchNode, Registry, Trunk } from '../../../src/config/schema.js';
import { minimalWith, problemsIn, summaries } from './registry-fixtures.js';

const trunk = (overrides: Partial<Trunk> = {}): Trunk => ({
  name: 'ct', sources: ['203.0.113.10'], calledNumberFrom: ['request-uri'], stripPrefixes: [],
  maxCallsPerSecond: 10, maxConcurrentCalls: 100, ...overrides,
});
const node = (overrides: Partial<FreeswitchNode> = {}): FreeswitchNode => ({
  name: 'fs-a', sip: '10.0.0.11:5060', esl: '10.0.0.11:8021', maxSessions: 1000, ...overrides,
});
const withEdge = (trunks: Trunk[], nodes: FreeswitchNode[] = [node()]) => (r: Registry) => {
  r.hotline.areaCode = '571';
  r.trunks = trunks;
  r.nodes = nodes;
};
const after = (change: (r: Registry) => void): string[] => summaries(problemsIn(minimalWith(change)));

describe('trunks', () => {
  it('loads trunks with the defaults filled in: every header in the documented order, no prefixes', () => {
    const result = parseRegistry(minimalWith((r) => {
      withEdge([])(r);
      r.trunks = [{ name: 'ct', sources: ['203.0.113.0/28', '2001:db8::/64'], maxCallsPerSecond: 5, maxConcurrentCalls: 50 } as Trunk];
    }), 'm.yaml');
    expect(result.ok && result.warnings).toEqual([]);
    if (!result.ok) return;
    expect(result.registry.trunks?.[0]).toMatchObject({
      calledNumberFrom: ['request-uri', 'to', 'p-called-party-id', 'diversion', 'history-info'],
      stripPrefixes: [],
    });
    expect(result.registry.nodes?.[0]?.maxSessions).toBe(1000);
  });

  it('refuses a source that is not an address, with its line and column', () => {
    const problems = problemsIn(minimalWith(withEdge([trunk({ sources: ['203.0.113.10', '3232235777'] })])));
    expect(summaries(problems)).toEqual(['trunks[0].sources[1]  "3232235777" is not an IP address']);
    expect(problems[0]?.line).toBeGreaterThan(0);
    expect(problems[0]?.col).toBeGreaterThan(0);
  });

  it('refuses a CIDR block with host bits set, offering both readings', () => {
    const problems = problemsIn(minimalWith(withEdge([trunk({ sources: ['203.0.113.5/28'] })])));
    expect(summaries(problems)).toEqual(['trunks[0].sources[0]  "203.0.113.5/28" has host bits set']);
    expect(problems[0]?.hint).toBe('write 203.0.113.0/28 for the block, or 203.0.113.5 for the one host');
  });

  it('refuses an address that two trunks claim, even inside a block, naming the first', () => {
    expect(after(withEdge([trunk(), trunk({ name: 'cm', sources: ['203.0.113.0/24'] })]))).toEqual([
      'trunks[1].sources[0]  203.0.113.0/24 overlaps 203.0.113.10 of trunks[0].sources[0]',
    ]);
    expect(after(withEdge([trunk({ sources: ['2001:db8::/32'] }), trunk({ name: 'cm', sources: ['2001:db8:1::1'] })]))).toEqual([
      'trunks[1].sources[0]  2001:db8:1::1 overlaps 2001:db8::/32 of trunks[0].sources[0]',
    ]);
  });

  it('accepts disjoint blocks and the same digits in IPv4 and IPv6', () => {
    expect(after(withEdge([trunk({ sources: ['10.0.0.0/25'] }), trunk({ name: 'cm', sources: ['10.0.0.128/25', '::a00:0/120'] })]))).toEqual([]);
  });

  it('refuses two trunks of one name and an unknown header', () => {
    expect(after(withEdge([trunk(), trunk({ sources: ['198.51.100.1'] })]))).toEqual(['trunks[1].name  trunk name "ct" is used twice']);
    expect(after(withEdge([trunk({ calledNumberFrom: ['to', 'from' as never] })]))).toEqual([
      'trunks[0].calledNumberFrom[1]  must be one of request-uri, to, p-called-party-id, diversion, history-info',
    ]);
  });

  it('refuses caps of zero', () => {
    expect(after(withEdge([trunk({ maxCallsPerSecond: 0 })]))).toEqual(['trunks[0].maxCallsPerSecond  must be at least 1, got number 0']);
  });

  it('warns when trunks are declared without an area code, and about a prefix that begins a line', () => {
    expect(after((r) => { withEdge([trunk()])(r); delete r.hotline.areaCode; })).toEqual([
      'trunks  warning: trunks are declared but hotline.areaCode is not: a number dialed with its area code (0571 12328) will not be recognised'.replace('warning: ', ''),
    ]);
    expect(after(withEdge([trunk({ stripPrefixes: ['123'] })]))).toEqual(['trunks[0].stripPrefixes  a prefix to strip begins a line number of this hotline']);
  });
});

describe('nodes', () => {
  it('refuses the same node name, SIP or event socket address twice', () => {
    expect(after(withEdge([trunk()], [node(), node({ name: 'fs-b', esl: '10.0.0.12:8021' })]))).toEqual(['nodes[1].sip  SIP address "10.0.0.11:5060" is used twice']);
    expect(after(withEdge([trunk()], [node(), node({ sip: '10.0.0.12:5060', esl: '10.0.0.12:8021' })]))).toEqual(['nodes[1].name  node name "fs-a" is used twice']);
  });

  it('refuses an address without a port, accepts bracketed IPv6', () => {
    expect(after(withEdge([trunk()], [node({ sip: '10.0.0.11' })]))).toEqual([expect.stringMatching(/^nodes\[0\]\.sip {2}expected where the edge sends/) as string]);
    expect(after(withEdge([trunk()], [node({ sip: '[2001:db8::11]:5060' })]))).toEqual([]);
  });
});

describe('area code', () => {
  it('takes 2-3 digits with or without the trunk 0', () => {
    expect(after((r) => { r.hotline.areaCode = '0571'; })).toEqual([]);
    expect(after((r) => { r.hotline.areaCode = '10'; })).toEqual([]);
    expect(after((r) => { r.hotline.areaCode = '5710'; })).toEqual([expect.stringMatching(/^hotline\.areaCode {2}expected telephone area code, 2-3 digits/) as string]);
  });

  it('is the routing table\'s area code: 0571 12328 reaches line 12328 without any option', () => {
    const result = parseRegistry(minimalWith((r) => { r.hotline.areaCode = '0571'; }), 'm.yaml');
    if (!result.ok) throw new Error('does not load');
    const table = buildRoutingTable(result.registry);
    const at = Date.parse('2026-03-02T02:00:00Z');
    expect(route({ to: '057112328' }, table, at)).toMatchObject({ kind: 'queue', line: { number: '12328' } });
    expect(route({ to: '+8657112328' }, table, at)).toMatchObject({ kind: 'queue', line: { number: '12328' } });
    expect(route({ to: '057212328' }, table, at)).toMatchObject({ kind: 'reject', sipStatus: 404 });
  });
});

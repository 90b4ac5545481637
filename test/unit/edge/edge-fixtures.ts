/** The minimal registry with an area code and one trunk, and INVITEs to decide on. */
import { parseRegistry } from '../../../src/config/load.js';
import type { Registry, Trunk } from '../../../src/config/schema.js';
import type { InviteView } from '../../../src/core/edge/index.js';
import { buildRoutingTable, type RoutingTable } from '../../../src/core/routing/index.js';
import { minimalWith } from '../config/registry-fixtures.js';

export const TRUNK: Trunk = {
  name: 'ct', sources: ['203.0.113.10'], calledNumberFrom: ['request-uri', 'to', 'p-called-party-id', 'diversion', 'history-info'],
  stripPrefixes: ['17951'], maxCallsPerSecond: 10, maxConcurrentCalls: 100,
};

export function edgeRegistry(change: (r: Registry) => void = () => undefined): Registry {
  const result = parseRegistry(minimalWith((r) => {
    r.hotline.areaCode = '571';
    r.trunks = [TRUNK];
    change(r);
  }), 'edge.yaml');
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path} ${p.message}`).join('; '));
  return result.registry;
}

export const edgeTable = (): RoutingTable => buildRoutingTable(edgeRegistry());

export function invite(requestUri: string, headers: Record<string, string> = {}, source = '203.0.113.10'): InviteView {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { source, requestUri, header: (name) => lower.get(name) };
}

/** A Monday 10:00 in Shanghai: every schedule of the minimal registry is open. */
export const MONDAY_10H = Date.parse('2026-03-02T02:00:00Z');

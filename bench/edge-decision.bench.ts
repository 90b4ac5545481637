/**
 * The SIP edge's decision time per INVITE in the application (issue target: p99 ≤ 1 ms): trunk by
 * source address, the dialed number from the trunk's places (Diversion, History-Info, …) with
 * normalisation, route(). A mix of the example city's lines in every form, unknown, emergency and
 * undeclared-source INVITEs. Run: node --import tsx bench/edge-decision.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { parseRegistry } from '../src/config/load.js';
import { edgeDecision, sourceMatcher, type InviteView } from '../src/core/edge/index.js';
import { buildRoutingTable } from '../src/core/routing/index.js';

const loaded = parseRegistry(readFileSync(new URL('../config/hotline.example.yaml', import.meta.url), 'utf8'), 'example');
if (!loaded.ok) throw new Error('example registry does not load');
const registry = loaded.registry;
const table = buildRoutingTable(registry);
const trunks = registry.trunks ?? [];
const matcher = sourceMatcher(trunks.map((t) => ({ owner: t, sources: t.sources })));

const invite = (source: string, requestUri: string, headers: Record<string, string>): InviteView => {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { source, requestUri, header: (n) => lower.get(n) };
};
const lines = [registry.hotline.number, ...registry.lines.map((l) => l.number)];
const mix: InviteView[] = [];
for (const n of lines) {
  mix.push(invite('203.0.113.10', `sip:057188001234@edge`, { Diversion: `<sip:+86571${n}@c>;reason=unconditional;counter=1`, To: '<sip:057188001234@edge>' }));
  mix.push(invite('203.0.113.11', `sip:88001234@edge`, { 'History-Info': `<sip:88001234@c>;index=1.1, <tel:+86-571-${n}>;index=1` }));
  mix.push(invite('198.51.100.3', `sip:17951${n}@edge;user=phone`, { 'P-Called-Party-ID': `<sip:0571${n}@c>` }));
}
mix.push(invite('203.0.113.10', 'sip:99999@edge', {}), invite('198.51.100.3', 'sip:0571110@edge', {}), invite('192.0.2.1', 'sip:12345@edge', {}));

const at = Date.parse('2026-03-02T02:00:00Z');
const N = 200_000;
const samples = new Float64Array(N);
let forwarded = 0;
for (let i = 0; i < N; i++) {
  const inv = mix[i % mix.length] as InviteView;
  const t0 = performance.now();
  const d = edgeDecision(table, matcher.match(inv.source), inv, at + (i % 86_400) * 1000);
  samples[i] = performance.now() - t0;
  if (d.kind === 'forward') forwarded++;
}
samples.sort();
const q = (p: number): string => ((samples[Math.floor(p * (N - 1))] ?? 0) * 1000).toFixed(1);
console.log(`edge decision: ${N} INVITEs (${mix.length} forms), ${forwarded} forwarded; p50 ${q(0.5)} µs, p99 ${q(0.99)} µs, max ${q(1)} µs (target p99 ≤ 1000 µs)`);

/**
 * GET /metrics scrape time (through fastify inject) at a large province's scale: 50 lines × 20
 * queues of label sets in hotline_calls_total (every line seen in every queue with three
 * outcomes), overflows between every queue pair's neighbour, the wait histogram on 20 queues,
 * survey answers per line, live gauges for 20 queues × 7 states from 500 agents, and the
 * process metrics. Target: p95 ≤ 50 ms.
 * Run: node --import tsx bench/metrics.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/adapters/http/app.js';
import { createMetrics } from '../src/compose/metrics.js';
import type { AgentView, QueueView, WaitingCallView } from '../src/app/acd/acd-model.js';
import type { CallRecord } from '../src/app/records/index.js';
import type { Registry } from '../src/config/schema.js';
import { AGENT_STATUSES } from '../src/core/acd/types.js';
import { createLogger } from '../src/lib/logger.js';
import { cityRegistry, queue } from '../test/support/registry-builder.js';

const LINES = 50;
const QUEUES = 20;
const AGENTS = 500;
const TARGET_P95_MS = 50;
const SCRAPES = 200;

function bigRegistry(): Registry {
  const r = cityRegistry();
  const queues: Registry['queues'] = { 'general': queue('综合', '24x7', { overflow: 'pool-24x7' }), 'pool-24x7': queue('兜底', '24x7') };
  for (let i = 2; i < QUEUES; i++) queues[`q${i}`] = queue(`队列${i}`, '24x7', { overflow: 'pool-24x7', serviceLevelSeconds: 10 + i });
  const lines: Registry['lines'] = [];
  for (let i = 1; i < LINES; i++) lines.push({ number: String(96000 + i), name: `线路${i}`, mode: 'dual', priority: 0, queue: `q${2 + (i % (QUEUES - 2))}` });
  const agents: Registry['agents'] = [];
  for (let i = 0; i < AGENTS; i++) agents.push({ id: `a${i}`, name: `坐席${i}`, dial: `user/${i}`, skills: {}, queues: [Object.keys(queues)[i % QUEUES] ?? 'general'] });
  return { ...r, queues, lines, agents };
}

const registry = bigRegistry();
const queueIds = Object.keys(registry.queues);
const lineNumbers = [registry.hotline.number, ...registry.lines.map((l) => l.number)];
const agentViews: AgentView[] = registry.agents.map((a, i) => ({
  id: a.id, name: a.name, dial: a.dial, queues: a.queues, status: AGENT_STATUSES[i % AGENT_STATUSES.length] ?? 'ready', since: 0,
}));
const queueViews: QueueView[] = queueIds.map((id) => ({
  id, name: id, open: true, waiting: 5, oldestWaitSeconds: 30,
  agents: Object.fromEntries(AGENT_STATUSES.map((s) => [s, agentViews.filter((a) => a.queues.includes(id) && a.status === s).length])) as QueueView['agents'],
}));
const acd = {
  queues: () => Promise.resolve(queueViews),
  agents: () => Promise.resolve(agentViews),
  waitingCalls: () => Promise.resolve([] as WaitingCallView[]),
};

let t = Date.parse('2026-03-10T01:00:00Z');
const metrics = createMetrics({ registry, clock: { now: () => t }, timers: { at: (at) => ({ at }), cancel: () => undefined }, acd, scheduler: null });
let n = 0;
const outcomes = ['answered', 'abandoned', 'short-abandoned'] as const;
for (const line of lineNumbers) {
  for (const [qi, q] of queueIds.entries()) {
    for (const outcome of outcomes) {
      const from = queueIds[(qi + 1) % queueIds.length] ?? 'general';
      const rec: CallRecord = {
        callSid: `c${n++}`, fsUuid: 'u', line, mode: 'dual', queue: q, hops: [{ queue: from, reason: 'max-wait', entered: true }],
        arrivedAt: t, queuedAt: t + 1000, answeredAt: outcome === 'answered' ? t + 20_000 : undefined, agentId: undefined,
        agentsTried: [], endedAt: t + 60_000, outcome, waitSeconds: (n % 300) + 0.5, waitFromArrivalSeconds: (n % 300) + 1.5,
        survey: outcome === 'answered' ? (['satisfied', 'basically-satisfied', 'unsatisfied', 'none'] as const)[n % 4] : undefined,
        hangupCause: undefined,
      };
      metrics.sink.add(rec);
      t += 10;
    }
  }
}

const app = await buildApp({ logger: createLogger({ level: 'silent' }), health: [], plugins: metrics.plugins });
const first = await app.inject({ url: '/metrics' });
const series = first.body.split('\n').filter((l) => l.startsWith('hotline_')).length;
for (let i = 0; i < 20; i++) await app.inject({ url: '/metrics' }); // warm-up
const times: number[] = [];
for (let i = 0; i < SCRAPES; i++) {
  const start = performance.now();
  const r = await app.inject({ url: '/metrics' });
  times.push(performance.now() - start);
  if (r.statusCode !== 200) throw new Error(`scrape ${r.statusCode}`);
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] ?? NaN;
const statsStart = performance.now();
for (let i = 0; i < 50; i++) await app.inject({ url: '/api/stats' });
const statsMs = (performance.now() - statsStart) / 50;
await app.close();
await metrics.stop();

console.log(`metrics scrape: ${LINES} lines × ${QUEUES} queues, ${AGENTS} agents, ${n} records, ${series} hotline_* series, ${(first.body.length / 1024).toFixed(0)} KiB`);
console.log(`  /metrics p50 ${pct(0.5).toFixed(2)} ms  p95 ${pct(0.95).toFixed(2)} ms  max ${pct(1).toFixed(2)} ms  (target p95 ≤ ${TARGET_P95_MS} ms) ${pct(0.95) <= TARGET_P95_MS ? 'OK' : 'MISSED'}`);
console.log(`  /api/stats mean ${statsMs.toFixed(2)} ms`);
process.exitCode = pct(0.95) <= TARGET_P95_MS ? 0 : 1;

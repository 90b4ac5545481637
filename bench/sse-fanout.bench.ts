/**
 * /api/stream fan-out (issue 6): the router's HTTP app — buildApp with the access plugin
 * (accessControlFromTokens, one admin token, sent as `?token=` as the board's EventSource does)
 * and the metrics plugins from createMetrics over a real AcdService (MemoryAcdStore, NodeTimers,
 * config/hotline.example.yaml) — listening on a loopback port, with 200 SSE clients (plain
 * http.get streams in a child process, bench/support/sse-clients.ts, so their CPU is not counted).
 * The snapshot changes all the time: a call record every 250 ms (through the metrics sink, as a
 * finished call's record arrives) and an agent changing state every second (an ACD event), so
 * each 1-second push has something new. Measured over 20 s: this process's CPU
 * (process.cpuUsage(), user + system, as a share of one core over wall time) and the snapshots
 * each client received.
 * Run: npm run bench -- sse-fanout
 */
import { join } from 'node:path';
import { buildApp } from '../src/adapters/http/app.js';
import { accessControlFromTokens } from '../src/adapters/http/auth/index.js';
import { createMetrics } from '../src/compose/metrics.js';
import { MemoryAcdStore } from '../src/adapters/store/memory/index.js';
import { NodeTimers } from '../src/adapters/timers/index.js';
import type { AcdEvent } from '../src/app/acd/acd-model.js';
import { AcdService } from '../src/app/acd/acd-service.js';
import type { CallRecord } from '../src/app/records/index.js';
import { MemoryCallRecordSink } from '../src/app/records/index.js';
import { loadExampleRegistry } from './support/example-registry.js';
import type { Clock } from '../src/core/ports.js';
import { createLogger } from '../src/lib/logger.js';
import { BenchChild, loadAverage, sleep } from './support/child.js';
import { benchRoot } from './support/compiled.js';
import type { FromClients, ToClients } from './support/sse-protocol.js';

const CLIENTS = 200;
const WINDOW_S = 20;
const TARGET_CPU_PCT = 20;
const TOKEN = 'bench-admin-token-0123456789abcdef';

const root = benchRoot();
const registry = await loadExampleRegistry(root);
const logger = createLogger({ level: 'silent' });
const clock: Clock = { now: () => Date.now() };
const timers = new NodeTimers(clock);
let acdEvents: (event: AcdEvent) => void = () => undefined;
const acd = new AcdService({ store: new MemoryAcdStore(), registry, clock, timers, log: logger, observer: { onAcdEvent: (e) => { acdEvents(e); } } });
const records = new MemoryCallRecordSink(100_000, registry.hotline.timeZone);
const metrics = createMetrics({ registry, clock, timers, acd, records, scheduler: null, log: logger });
acdEvents = metrics.onAcdEvent;
await acd.start();
await metrics.start();
const sink = metrics.wrapSink(records);
const access = accessControlFromTokens([{ token: TOKEN, role: 'admin', name: 'bench' }], { registry, logger });
const app = await buildApp({ logger, health: [], plugins: [access.plugin, ...metrics.plugins] });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('no TCP address');

// ── the changing day: finished calls and an agent coming and going ──
let n = 0;
const outcomes = ['answered', 'abandoned', 'short-abandoned'] as const;
const addRecord = (): void => {
  const now = clock.now();
  const outcome = outcomes[n % outcomes.length] ?? 'answered';
  const rec: CallRecord = {
    callSid: `call-bench-${n}`, fsUuid: `uuid-${n}`, line: registry.hotline.number, mode: undefined, queue: 'general', hops: [],
    arrivedAt: now - 60_000, queuedAt: now - 58_000, answeredAt: outcome === 'answered' ? now - 40_000 : undefined,
    agentId: outcome === 'answered' ? '1001' : undefined, agentsTried: outcome === 'answered' ? ['1001'] : [], endedAt: now, outcome,
    waitSeconds: 18 + (n % 40), waitFromArrivalSeconds: 20 + (n % 40),
    survey: outcome === 'answered' ? (['satisfied', 'basically-satisfied', 'unsatisfied', 'none'] as const)[n % 4] : undefined,
    hangupCause: 'NORMAL_CLEARING',
  };
  n += 1;
  sink.add(rec);
};
await acd.login('1001');
let ready = false;
const feedRecords = setInterval(addRecord, 250);
const feedAgent = setInterval(() => {
  ready = !ready;
  void (ready ? acd.ready('1001') : acd.notReady('1001', 'break'));
}, 1000);

const clients = new BenchChild<ToClients, FromClients>(join(root, 'bench', 'support', 'sse-clients.ts'), { cwd: root });
let exit = 1;
try {
  const url = `http://127.0.0.1:${address.port}/api/stream?token=${TOKEN}`;
  const r = await clients.request<Extract<FromClients, { type: 'ready' }>>({ type: 'connect', url, count: CLIENTS }, 30_000);
  if (r.connected !== CLIENTS) throw new Error(`${CLIENTS - r.connected} streams failed: ${[...new Set(r.failed)].join('; ')}`);
  const subscribers = metrics.publisher.subscriberCount;
  if (subscribers !== CLIENTS) throw new Error(`${subscribers} subscribers for ${CLIENTS} streams`);
  await sleep(1500); // past the connect burst and the first push on subscribe

  await clients.request({ type: 'mark' });
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await sleep(WINDOW_S * 1000);
  const cpu = process.cpuUsage(cpu0);
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  const report = await clients.request<Extract<FromClients, { type: 'counts' }>>({ type: 'report' });

  const pct = ((cpu.user + cpu.system) / wallUs) * 100;
  const counts = report.counts;
  const mean = counts.reduce((s, c) => s + c, 0) / counts.length;
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  const seconds = wallUs / 1e6;
  const longestGap = Math.max(...report.longestGaps) / 1000;
  const late = report.longestGaps.filter((g) => g > 1500).length;
  // ~1 a second: about one snapshot per second of the window (a push may fall either side of its
  // ends), never two in one second, and no client left a second without one (gap ≤ 1.5 s).
  const okRate = counts.length === CLIENTS && report.open === CLIENTS && min >= Math.floor(seconds) - 1 && max <= Math.ceil(seconds) + 1 && late === 0;
  const okCpu = pct < TARGET_CPU_PCT;
  console.log(`SSE fan-out: ${CLIENTS} clients × 1 update/s → router CPU ${pct.toFixed(1)} % of a core (target < ${TARGET_CPU_PCT} %) ${okCpu ? 'ok' : 'MISSED'}, ` +
    `${mean.toFixed(1)} updates/client ${okRate ? 'ok' : 'MISSED'}`);
  console.log(`  over ${seconds.toFixed(1)} s: per client min ${min} / max ${max} snapshots, longest wait between two ${longestGap.toFixed(2)} s ` +
    `(${late} of ${CLIENTS} clients waited > 1.5 s), ${(report.bytes / seconds / 1024).toFixed(0)} KiB/s to all clients ` +
    `(${(report.bytes / Math.max(1, mean * CLIENTS) / 1024).toFixed(1)} KiB a message); user ${(cpu.user / 1000).toFixed(0)} ms + system ${(cpu.system / 1000).toFixed(0)} ms; ` +
    `${n} call records fed; access plugin on (admin ?token=); load ${loadAverage()}`);
  exit = okCpu && okRate ? 0 : 1;
} catch (err) {
  console.error('sse-fanout bench failed:', err);
} finally {
  clearInterval(feedRecords);
  clearInterval(feedAgent);
  await clients.stop();
  await app.close();
  await acd.stop();
  await metrics.stop();
}
process.exitCode = exit;

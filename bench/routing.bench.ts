/**
 * Routing throughput on one core: a generated 40-line registry, a mix of numbers (every line,
 * +86 forms, unknown and emergency numbers) at instants spread over 2026, half of them with a
 * live ACD view. Also the time to load + validate that registry from YAML and to build its table.
 * Run: node --import tsx bench/routing.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import type { Line, Registry } from '../src/config/schema.js';
import { parseRegistry } from '../src/config/load.js';
import { buildRoutingTable, route, type CallRequest } from '../src/core/routing/index.js';
import { cityRegistry, liveView, queue } from '../test/support/registry-builder.js';

const TARGET_PER_SECOND = 200_000;
const LINES = 40;

function generateRegistry(): Registry {
  const r = cityRegistry();
  const schedules = ['office-hours', 'daytime', 'tax-hours', 'berlin-office', '24x7'];
  for (let i = 0; i < 10; i++) {
    r.queues[`dept-${i}`] = queue(`部门 ${i}`, schedules[i % schedules.length] ?? '24x7', { overflow: i % 3 === 0 ? `dept-${i + 1}` : 'pool-24x7' });
  }
  r.queues['dept-10'] = queue('部门 10', 'office-hours', { overflow: 'pool-24x7' });
  r.agents.push({ id: '2000', name: '王芳', dial: 'user/2000', skills: {}, queues: Object.keys(r.queues).filter((q) => q.startsWith('dept-')) });
  while (r.lines.length < LINES) {
    const i = r.lines.length;
    const number = String(96_000 + i);
    const common = { number, name: `服务热线 ${number}`, priority: i % 3 };
    const kind = i % 4;
    let line: Line;
    if (kind === 0) {
      line = { ...common, mode: 'merged', queue: `dept-${i % 10}`, transitionPrompt: 'merged-12319', transitionUntil: i % 8 === 0 ? '2026-06-30' : '2026-12-31' };
    } else if (kind === 3) {
      line = { ...common, mode: 'subcenter', subcenter: { dial: `sofia/gateway/sub/${number}`, schedule: 'tax-hours', noAnswerSeconds: 25, overflowQueue: 'pool-24x7' } };
    } else {
      line = { ...common, mode: 'dual', queue: `dept-${i % 10}` };
    }
    r.lines.push(line);
  }
  return r;
}

/** Deterministic so runs are comparable. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
}

function callMix(reg: Registry, size: number): { calls: CallRequest[]; ats: number[] } {
  const rnd = lcg(12_345);
  const numbers = [reg.hotline.number, ...reg.lines.map((l) => l.number)];
  const live = liveView({ 'general': { length: 10 }, 'dept-3': { agents: 0 }, 'traffic': { length: 20 } });
  const calls: CallRequest[] = [];
  const ats: number[] = [];
  const start = Date.UTC(2025, 11, 31, 16);
  for (let i = 0; i < size; i++) {
    const p = rnd();
    const n = numbers[Math.floor(rnd() * numbers.length)] ?? '12345';
    const to = p < 0.8 ? n : p < 0.9 ? `+86${n}` : p < 0.95 ? '12399' : '110';
    calls.push(rnd() < 0.5 ? { to } : { to, live });
    ats.push(start + Math.floor(rnd() * 365 * 86_400_000));
  }
  return { calls, ats };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const reg = generateRegistry();
const yamlText = stringify(reg);
const loadMs: number[] = [];
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  const loaded = parseRegistry(yamlText, 'bench.yaml');
  loadMs.push(performance.now() - t0);
  if (!loaded.ok) throw new Error(`generated registry does not validate: ${JSON.stringify(loaded.problems.slice(0, 3))}`);
}
const buildMs: number[] = [];
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  buildRoutingTable(reg);
  buildMs.push(performance.now() - t0);
}

const table = buildRoutingTable(reg);
const { calls, ats } = callMix(reg, 8192);
let sink = 0;
const run = (count: number): void => {
  for (let i = 0; i < count; i++) {
    const k = i & 8191;
    sink += route(calls[k] as CallRequest, table, ats[k] as number).explanation.length;
  }
};

run(300_000); // warm-up: JIT and every zone's offset cache
const rates: number[] = [];
for (let round = 0; round < 5; round++) {
  const count = 200_000;
  const t0 = performance.now();
  run(count);
  rates.push(count / ((performance.now() - t0) / 1000));
}
const rate = Math.round(median(rates));
const ok = rate >= TARGET_PER_SECOND;

console.log(`routing: ${rate.toLocaleString('en-US')} decisions/s (target ≥ ${TARGET_PER_SECOND.toLocaleString('en-US')}/s)${ok ? '' : '  BELOW TARGET'}`);
console.log(`routing: ${LINES}-line registry: load+validate from YAML ${median(loadMs).toFixed(1)} ms (${(yamlText.length / 1024).toFixed(0)} KiB), buildRoutingTable ${median(buildMs).toFixed(2)} ms (medians of 15)`);
if (sink === 0) console.log('(unreachable: keeps the routing loop from being optimised away)');
process.exitCode = ok ? 0 : 1;

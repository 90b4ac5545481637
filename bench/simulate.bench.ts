/**
 * The simulator and the planner on the example city:
 *  1. one simulated day of 100,000 calls with 300 agents (six queues, exponential patience),
 *     through the real routing, call sessions and ACD — target ≤ 10 s on one core;
 *  2. `hotline staff` for 24 hours × 6 queues (Erlang A, then simulated checks, 2 replications
 *     each) — target ≤ 30 s.
 * Prints wall and CPU time: on a shared machine wall time includes waiting for a core.
 * Runs compiled, as `hotline simulate` does, with the node flags it runs with (src/cli/node-flags.ts;
 * bench/support/compiled.ts): under tsx every closure
 * the router makes also pays for esbuild's keep-names wrapper.
 * Run: node --import tsx bench/simulate.bench.ts
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MemoryAcdStore } from '../src/adapters/store/memory/index.js';
import { simulateDay } from '../src/app/sim/engine.js';
import { resolveProfile, type ProfileFile } from '../src/app/sim/profile.js';
import { quietLogger } from '../src/app/sim/quiet-logger.js';
import { planStaff } from '../src/app/sim/staff-plan.js';
import { SIMULATOR_NODE_FLAGS } from '../src/cli/node-flags.js';
import { COMPILED, benchRoot, runCompiled } from './support/compiled.js';
import { loadExampleRegistry } from './support/example-registry.js';

const DAY_TARGET_S = 10;
const STAFF_TARGET_S = 30;

/** A hotline day's shape: quiet nights, a morning and an afternoon peak (sums to 1). */
const SHAPE = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 3.5, 6.5, 7.5, 7.5, 6.8, 5, 6, 7, 7, 6.5, 5.5, 4, 3.2, 2.8, 2.2, 1.8, 1.4];
const shapeSum = SHAPE.reduce((a, b) => a + b, 0);
const perHour = (total: number, flat = false) => SHAPE.map((s) => Math.round(flat ? total / 24 : (total * s) / shapeSum));

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

async function main(how: string): Promise<void> {
  const registry = await loadExampleRegistry(benchRoot());
  // 1. 100,000 calls, 300 agents: flat arrivals so 300 agents can carry the load every hour.
  const day: ProfileFile = {
    arrivals: { '12345': perHour(50_000, true), '12328': perHour(15_000, true), '12315': perHour(10_000, true),
      '12333': perHour(10_000, true), '12320': perHour(10_000, true), '12369': perHour(5_000, true) },
    handle: { dist: 'exponential', mean: 120 },
    patience: { dist: 'exponential', mean: 120 },
    // social-security is open office hours only: its callers go to the pool outside them.
    staffing: { 'general': 110, 'pool-24x7': 60, 'transport': 40, 'market': 30, 'social-security': 30, 'health': 30 },
    promptSeconds: 3,
  };
  const sim = await timed(() => simulateDay({ registry, profile: resolveProfile(day), seed: 1, date: '2026-03-10', logger: quietLogger(), newStore: () => new MemoryAcdStore() }));
  const answered = sim.value.records.filter((r) => r.outcome === 'answered').length;
  console.log(`simulate: ${sim.value.records.length} calls, 300 agents, ${sim.value.events} events in ${sim.wall.toFixed(2)} s wall, ` +
    `${sim.cpu.toFixed(2)} s CPU (${Math.round(sim.value.records.length / sim.cpu)} calls/s CPU; ${answered} answered, ${sim.value.unfinished} unfinished)` +
    ` — target ≤ ${DAY_TARGET_S} s: ${sim.cpu <= DAY_TARGET_S ? 'ok' : 'MISSED'}`);

  // 2. The planner on a shaped day of the same city, 24 hours × 6 queues.
  const city: ProfileFile = {
    arrivals: { '12345': perHour(12_000), '12328': perHour(3_000), '12315': perHour(2_000), '12333': perHour(2_000), '12320': perHour(1_500) },
    handle: { dist: 'lognormal', mean: 180, sd: 120 },
    patience: { dist: 'exponential', mean: 120 },
  };
  const staff = await timed(() => planStaff({
    registry, profile: resolveProfile(city), date: '2026-03-10', seed: 1, replications: 2, rounds: 3, logger: quietLogger(), newStore: () => new MemoryAcdStore(),
  }));
  const plan = staff.value;
  const agentHours = Object.values(plan.queues).reduce((s, hs) => s + hs.reduce((a, h) => a + h.agents, 0), 0);
  const met = Object.values(plan.queues).reduce((s, hs) => s + hs.filter((h) => h.met).length, 0);
  console.log(`staff: 24 h × ${Object.keys(plan.queues).length} queues, ${plan.rounds} simulated rounds (+ final check) of 2 days each: ` +
    `${agentHours} agent-hours, ${met}/${24 * Object.keys(plan.queues).length} queue-hours meet their targets, ` +
    `${staff.wall.toFixed(2)} s wall, ${staff.cpu.toFixed(2)} s CPU — target ≤ ${STAFF_TARGET_S} s: ${staff.cpu <= STAFF_TARGET_S ? 'ok' : 'MISSED'}`);
  console.log(`(${how}; load average while running: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine)`);
}

if (COMPILED) {
  await main(`compiled; node ${process.execArgv.join(' ')}`);
} else {
  // The node flags `hotline simulate` and `hotline staff` run with (src/cli/node-flags.ts).
  const compiled = await runCompiled(import.meta.url, SIMULATOR_NODE_FLAGS);
  if (typeof compiled === 'number') process.exitCode = compiled;
  else await main(`under tsx: ${compiled}`);
}

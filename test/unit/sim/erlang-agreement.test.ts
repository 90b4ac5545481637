/**
 * The simulator, driving the router's own call sessions and ACD, against exact queueing theory:
 * a single queue with exponential arrivals and talk times is M/M/n (Erlang C), and with
 * exponential patience M/M/n+M (Erlang A). Each theoretical figure must lie inside the 95 %
 * confidence interval of the simulated one over independent replications (fixed seeds: the
 * same days every run). The first 40 minutes of each day (the empty start) are not counted.
 */
import { describe, expect, it } from 'vitest';
import { MemoryAcdStore } from '../../../src/adapters/store/memory/index.js';
import { simulateDay } from '../../../src/app/sim/engine.js';
import { dayFigures } from '../../../src/app/sim/figures.js';
import { quietLogger } from '../../../src/app/sim/quiet-logger.js';
import { erlangAFigures, erlangCFigures, estimate, type Estimate } from '../../../src/core/staffing/index.js';
import { DATE, mmn, observe, oneQueue, type Observed } from './fixtures.js';

const WARM_UP_MS = 40 * 60_000;
const T = 15;
const REPLICATIONS = 6;

async function replicate(perHour: number, hours: number, agents: number, handle: number, patience?: number): Promise<Record<keyof Observed, Estimate>> {
  const registry = oneQueue();
  const runs: Observed[] = [];
  for (let i = 0; i < REPLICATIONS; i += 1) {
    const run = await simulateDay({ registry, profile: mmn(perHour, hours, agents, handle, patience), seed: 100 + i, date: DATE, logger: quietLogger(), newStore: () => new MemoryAcdStore() });
    expect(run.unfinished).toBe(0);
    runs.push(observe(run.records, WARM_UP_MS, T));
  }
  const est = (k: keyof Observed): Estimate => {
    const e = estimate(runs.map((r) => r[k]));
    if (e === null) throw new Error(`no ${k}`);
    return e;
  };
  return { pWait: est('pWait'), pAbandon: est('pAbandon'), serviceLevel: est('serviceLevel'), asa: est('asa') };
}

function expectInside(e: Estimate, exact: number, what: string): void {
  const hw = e.halfWidth ?? 0;
  expect(Math.abs(e.mean - exact), `${what}: simulated ${e.mean.toFixed(4)} ±${hw.toFixed(4)}, exact ${exact.toFixed(4)}`).toBeLessThanOrEqual(hw);
}

describe('simulator vs Erlang C (M/M/n)', () => {
  it.each([
    // [agents, offered load ρ, handle s, hours of arrivals]
    [2, 0.5, 20, 2],
    [5, 0.8, 20, 2],
    [20, 0.95, 20, 2],
  ])('%i agents at ρ = %f: P(wait), ASA and service level', async (n, rho, handle, hours) => {
    const perHour = (rho * n * 3600) / handle;
    const sim = await replicate(perHour, hours, n, handle);
    const exact = erlangCFigures(perHour / 3600, 1 / handle, n, T);
    expectInside(sim.pWait, exact.pWait, 'P(wait)');
    expectInside(sim.asa, exact.asa, 'ASA');
    expectInside(sim.serviceLevel, exact.serviceLevel, 'service level');
    expect(sim.pAbandon.mean).toBe(0);
  }, 120_000);
});

describe('simulator vs Erlang A (M/M/n+M)', () => {
  it('5 agents offered 100 % of their capacity, patience 30 s: P(wait), P(abandon), service level', async () => {
    const n = 5;
    const handle = 20;
    const perHour = (1.0 * n * 3600) / handle;
    const sim = await replicate(perHour, 4, n, handle, 30);
    const exact = erlangAFigures(perHour / 3600, 1 / handle, 1 / 30, n, T);
    expectInside(sim.pWait, exact.pWait, 'P(wait)');
    expectInside(sim.pAbandon, exact.pAbandon, 'P(abandon)');
    expectInside(sim.serviceLevel, exact.serviceLevel, 'service level');
  }, 120_000);
});

describe('the simulated figures are the live metrics\' figures', () => {
  it('the day\'s service level and ASA from DayAggregate match the records', async () => {
    const registry = oneQueue();
    const run = await simulateDay({ registry, profile: mmn(600, 2, 5, 20, 30), seed: 7, date: DATE, logger: quietLogger(), newStore: () => new MemoryAcdStore() });
    const f = dayFigures(registry, run.records, run.occupancy).day.queues['pool'];
    const o = observe(run.records, 0, T);
    const offered = run.records.length;
    expect(f?.offered).toBe(offered);
    // Short-abandon threshold 0: the service level's denominator is every call offered.
    expect(f?.serviceLevel).toBeCloseTo(o.serviceLevel, 9);
    expect(f?.asa).toBeCloseTo(o.asa, 9);
    // No wrap-up, answered at once, no survey delay: an agent is busy exactly from answer to the call's end.
    const talk = run.records.reduce((s, r) => s + (r.answeredAt === undefined ? 0 : r.endedAt - r.answeredAt), 0);
    expect(f?.occupancy).toBeCloseTo(talk / (5 * 86_400_000), 6);
  }, 60_000);
});

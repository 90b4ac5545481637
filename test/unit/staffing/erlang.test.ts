import { describe, expect, it } from 'vitest';
import {
  erlangAFigures, erlangB, erlangC, erlangCFigures, estimate, fewestAgents, logGamma, Random,
} from '../../../src/core/staffing/index.js';

/** Erlang C straight from its definition, for small n where factorials are exact enough. */
function erlangCByDefinition(a: number, n: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 0; k < n; k += 1) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const top = term * (n / (n - a));
  return top / (sum + top);
}

/** P(X ≥ n) and E[(X − n)+] for X ~ Poisson(a). */
function poissonTail(a: number, n: number): { tail: number; excess: number } {
  let p = Math.exp(-a);
  let below = 0;
  let meanBelow = 0;
  for (let k = 0; k < n; k += 1) {
    below += p;
    meanBelow += k * p;
    p = (p * a) / (k + 1);
  }
  // E[(X−n)+] = E[X] − n + E[(n−X)+] = a − n + Σ_{k<n} (n−k)p_k
  return { tail: 1 - below, excess: a - n + (n * below - meanBelow) };
}

describe('Erlang B and C', () => {
  it('match hand-computed values', () => {
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 12);
    expect(erlangB(2, 2)).toBeCloseTo(0.4, 12);
    expect(erlangC(1, 2)).toBeCloseTo(1 / 3, 12);
    // The textbook call-centre example: 10 Erlangs, 12 agents → P(wait) ≈ 0.4494.
    expect(erlangC(10, 12)).toBeCloseTo(0.4494, 4);
  });

  it('agree with the definition at small n and stay finite at thousands of agents', () => {
    for (const [a, n] of [[3, 4], [7.5, 9], [19, 20], [0.2, 1]] as const) {
      expect(erlangC(a, n)).toBeCloseTo(erlangCByDefinition(a, n), 12);
    }
    const big = erlangC(2_950, 3_000);
    expect(big).toBeGreaterThan(0);
    expect(big).toBeLessThan(1);
    expect(erlangC(5, 5)).toBe(1);
  });

  it('service level and ASA follow the closed forms', () => {
    const lambda = 10 / 180;
    const f = erlangCFigures(lambda, 1 / 180, 12, 20);
    const c = erlangC(10, 12);
    expect(f.asa).toBeCloseTo(c / (12 / 180 - lambda), 9);
    expect(f.serviceLevel).toBeCloseTo(1 - c * Math.exp(-(12 / 180 - lambda) * 20), 12);
    expect(f.occupancy).toBeCloseTo(10 / 12, 12);
  });
});

describe('Erlang A', () => {
  it('with patience equal to handle time the number in system is Poisson, whatever n', () => {
    for (const n of [3, 10, 25]) {
      const a = 12;
      const f = erlangAFigures(a / 100, 1 / 100, 1 / 100, n, 15);
      const { tail, excess } = poissonTail(a, n);
      expect(f.pWait).toBeCloseTo(tail, 9);
      // Little: abandonments per second = θ·E[queue]; per arrival ÷ λ.
      expect(f.pAbandon).toBeCloseTo(((1 / 100) * excess) / (a / 100), 9);
    }
  });

  it('tends to Erlang C as patience grows', () => {
    const c = erlangCFigures(10 / 180, 1 / 180, 12, 20);
    const a = erlangAFigures(10 / 180, 1 / 180, 1e-9, 12, 20);
    expect(a.pWait).toBeCloseTo(c.pWait, 5);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 5);
    expect(a.asa).toBeCloseTo(c.asa, 2);
    expect(a.pAbandon).toBeLessThan(1e-6);
  });

  it('stays stable when overloaded (more calls than agents could ever take)', () => {
    const f = erlangAFigures(1, 1 / 180, 1 / 60, 100, 15);
    expect(f.answerRate).toBeGreaterThan(0.5);
    expect(f.answerRate).toBeLessThan(0.6);
    expect(f.occupancy).toBeGreaterThan(0.99);
  });

  it('fewest agents meets both targets and one fewer does not', () => {
    const load = { lambda: 300 / 3600, handleSeconds: 200, patienceSeconds: 90 };
    const targets = { serviceLevel: 0.8, answerRate: 0.95, serviceLevelSeconds: 15 };
    const s = fewestAgents(load, targets);
    expect(s.predicted.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(s.predicted.answerRate).toBeGreaterThanOrEqual(0.95);
    const less = erlangAFigures(load.lambda, 1 / 200, 1 / 90, s.agents - 1, 15);
    expect(less.serviceLevel < 0.8 || less.answerRate < 0.95).toBe(true);
  });
});

describe('helpers', () => {
  it('logGamma matches factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });

  it('the generator is reproducible and uniform enough', () => {
    const a = new Random(42);
    const b = new Random(42);
    const xs = Array.from({ length: 20_000 }, () => a.next());
    expect(Array.from({ length: 20_000 }, () => b.next())).toEqual(xs);
    expect(new Random(43).next()).not.toBe(xs[0]);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('confidence intervals use Student t', () => {
    const e = estimate([1, 2, 3]);
    expect(e?.mean).toBe(2);
    expect(e?.halfWidth).toBeCloseTo(4.303 * Math.sqrt(1 / 3), 9);
    expect(estimate([null])).toBeNull();
  });
});

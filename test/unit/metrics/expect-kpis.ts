/** Asserts a published KpiSet (from JSON, a report or the maths) against the hand-computed figures. */
import { expect } from 'vitest';
import type { KpiSet, Rate } from '../../../src/core/metrics/index.js';
import type { Expected } from './scripted-day.js';

function expectRate(r: Rate, [n, d]: readonly [number, number]): void {
  expect({ numerator: r.numerator, denominator: r.denominator }).toEqual({ numerator: n, denominator: d });
  if (d === 0) expect(r.value).toBeNull();
  else expect(r.value).toBeCloseTo(n / d, 12);
}

export function expectKpis(k: KpiSet, e: Expected): void {
  expect(k.counts).toMatchObject(e.counts);
  expectRate(k.answerRate, e.answerRate);
  expectRate(k.serviceLevel, e.serviceLevel);
  expectRate(k.satisfactionRate, e.satisfaction);
  if (e.asa === null) expect(k.wait.asa).toBeNull();
  else expect(k.wait.asa).toBeCloseTo(e.asa, 9);
  expect([k.wait.p50, k.wait.p90, k.waitFromArrival.p50, k.waitFromArrival.p90]).toEqual([e.p50, e.p90, e.arrivalP50, e.arrivalP90]);
  expect(k.answerRate.formula).toMatch(/answered ÷/);
}

import { describe, expect, it } from 'vitest';
import { estimateWait, handleSeconds, updateHandleAverage } from '../../../src/core/acd/estimate.js';

describe('estimateWait = ceil(position × AHT ÷ agentsServing)', () => {
  const cases: [string, Parameters<typeof estimateWait>[0], ReturnType<typeof estimateWait>][] = [
    ['with history', { position: 6, agentsServing: 3, averageHandleSeconds: 120 }, { seconds: 240, minutes: 4, basis: 'history' }],
    ['rounds seconds up', { position: 1, agentsServing: 3, averageHandleSeconds: 100 }, { seconds: 34, minutes: 1, basis: 'history' }],
    ['no history → default 180 s AHT', { position: 2, agentsServing: 4, averageHandleSeconds: null }, { seconds: 90, minutes: 2, basis: 'fallback' }],
    ['no history → configured fallback', { position: 2, agentsServing: 1, averageHandleSeconds: null, fallbackHandleSeconds: 60 }, { seconds: 120, minutes: 2, basis: 'fallback' }],
    ['zero average counts as no history', { position: 1, agentsServing: 1, averageHandleSeconds: 0 }, { seconds: 180, minutes: 3, basis: 'fallback' }],
    ['nobody serving → no number', { position: 1, agentsServing: 0, averageHandleSeconds: 120 }, { seconds: null, minutes: null, basis: 'no-agents' }],
    ['position below 1 is treated as 1', { position: 0, agentsServing: 1, averageHandleSeconds: 30 }, { seconds: 30, minutes: 1, basis: 'history' }],
  ];
  it.each(cases)('%s', (_n, input, want) => {
    expect(estimateWait(input)).toEqual(want);
  });
});

describe('average handle time', () => {
  it('starts at the first sample, then moves by alpha toward each new one', () => {
    expect(updateHandleAverage(null, 200)).toBe(200);
    expect(updateHandleAverage(200, 100, 0.5)).toBe(150);
    expect(updateHandleAverage(200, 300)).toBeCloseTo(210);
  });
  it('handle time = talk + wrap-up', () => {
    expect(handleSeconds(10_000, 70_000, 15)).toBe(75);
    expect(handleSeconds(10_000, 5_000, 15)).toBe(15);
  });
});

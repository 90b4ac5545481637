import { describe, expect, it } from 'vitest';
import { DayAggregate, WaitHistogram, factsOf, metricsScope } from '../../../src/core/metrics/index.js';
import { zoneOf } from '../../../src/core/schedule/index.js';
import { EXPECTED, dayRegistry, record, scriptedDay } from './scripted-day.js';
import { expectKpis } from './expect-kpis.js';

function aggregate() {
  const scope = metricsScope(dayRegistry());
  const day = new DayAggregate(scope, zoneOf(scope.timeZone));
  for (const r of scriptedDay()) day.add(factsOf(r));
  return day.kpis();
}

describe('metrics maths on a scripted day', () => {
  const k = aggregate();

  it('all lines together', () => {
    expectKpis(k.total, EXPECTED.total);
    expect(k.total.serviceLevel.formula).toBe('answered within 15 s ÷ (offered − short abandoned)');
    expect(k.total.survey).toEqual({ satisfied: 3, basicallySatisfied: 1, unsatisfied: 1, none: 2 });
  });

  it.each(Object.entries(EXPECTED.lines))('line %s', (line, e) => {
    const l = k.lines.find((x) => x.line === line);
    expect(l).toBeDefined();
    if (l !== undefined) expectKpis(l, e);
  });

  it.each(Object.entries(EXPECTED.queues))('queue %s', (queue, e) => {
    const q = k.queues.find((x) => x.queue === queue);
    expect(q).toBeDefined();
    if (q === undefined) return;
    expectKpis(q, e);
    expect(q.serviceLevelSeconds).toBe(e.T);
    expect(q.answerRate.formula).toBe('answered ÷ (offered − short abandoned − overflowed out)');
  });

  it('lines come 12345 first, then the registry lines', () => {
    expect(k.lines.map((l) => [l.line, l.mode])).toEqual([
      ['12345', 'hotline'], ['12319', 'merged'], ['12328', 'dual'], ['96580', 'dual'], ['12366', 'subcenter'],
    ]);
  });

  it('hourly points by local hour of arrival', () => {
    expect(k.hourly).toHaveLength(24);
    const h9 = k.hourly[9];
    expect(h9?.offered).toBe(4);
    expect([h9?.answerRate.numerator, h9?.answerRate.denominator]).toEqual([2, 3]); // c1 c2 ÷ (4 − c4)
    expect(h9?.avgWaitSeconds).toBe(22);
    expect(k.hourly[20]).toMatchObject({ offered: 1, avgWaitSeconds: 12 });
    expect(k.hourly[21]?.answerRate).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    expect(k.hourly[22]).toMatchObject({ offered: 0, avgWaitSeconds: null, answerRate: { value: null } });
  });

  it('transfers: none until records carry them, then by target and outcome', () => {
    expect(k.total.transfers).toEqual([]);
    const base = record('t1', { line: '12345', at: '09:00', queue: 'general', prompt: 1, wait: 2, outcome: 'answered' });
    const withTransfers = { ...base, transfers: [{ target: '12366', outcome: 'completed' }, { target: '110', outcome: 'completed' }] };
    expect(factsOf(withTransfers).transfers).toEqual([{ target: '12366', outcome: 'completed' }, { target: '110', outcome: 'completed' }]);
  });

  it('a hop marked entered: false is a skip, entered: true an overflow', () => {
    const r = record('h', { line: '12345', at: '09:00', queue: 'pool-24x7', prompt: 1, wait: 2, outcome: 'answered',
      hops: [{ queue: 'general', reason: 'no-agents', entered: true }, { queue: 'traffic', reason: 'max-wait', entered: false }] });
    const f = factsOf(r);
    expect(f.entered).toEqual(['general', 'pool-24x7']);
    expect(f.overflows).toEqual([{ from: 'general', to: 'traffic', reason: 'no-agents' }]);
    expect(f.skips).toEqual([{ from: 'traffic', to: 'pool-24x7', reason: 'max-wait' }]);
  });
});

describe('wait histogram', () => {
  it('nearest-rank percentiles at 1 s resolution, exact mean, bounded at one hour', () => {
    const h = new WaitHistogram();
    expect([h.mean(), h.percentile(0.5)]).toEqual([null, null]);
    for (const w of [1.2, 2.6, 3, 4, 5, 6, 7, 8, 9, 10]) h.add(w);
    expect(h.percentile(0.5)).toBe(5);
    expect(h.percentile(0.9)).toBe(9);
    expect(h.percentile(1)).toBe(10);
    expect(h.percentile(0.1)).toBe(1);
    expect(h.percentile(0.2)).toBe(3); // 2.6 rounds to 3
    expect(h.mean()).toBeCloseTo(55.8 / 10, 12);
    h.add(99_999);
    expect(h.percentile(1)).toBe(3600);
  });
});

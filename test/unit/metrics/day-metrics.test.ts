/** Today's figures on /metrics are the figures of /api/stats: the same numbers, read at each scrape. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerDayMetrics } from '../../../src/adapters/metrics/day-metrics.js';
import { registerHealthMetrics } from '../../../src/adapters/metrics/health-metrics.js';
import { DayAggregate, factsOf, metricsScope, type DayKpis } from '../../../src/core/metrics/index.js';
import { zoneOf } from '../../../src/core/schedule/index.js';
import { parseExposition, value } from './exposition.js';
import { dayRegistry, scriptedDay } from './scripted-day.js';

function scripted(): { day: DayAggregate; kpis: () => DayKpis } {
  const scope = metricsScope(dayRegistry());
  const day = new DayAggregate(scope, zoneOf(scope.timeZone));
  return { day, kpis: () => day.kpis() };
}

describe('hotline_day_* gauges', () => {
  it('carry the same rates as the day aggregate, per line, per queue and for all lines', async () => {
    const { day, kpis } = scripted();
    for (const r of scriptedDay()) day.add(factsOf(r));
    const registry = new Registry();
    registerDayMetrics(registry, kpis);
    const s = parseExposition(await registry.metrics());
    const k = day.kpis();
    expect(value(s, 'hotline_day_answer_ratio', { line: 'all' })).toBeCloseTo(k.total.answerRate.value ?? -1, 12);
    expect(value(s, 'hotline_day_service_level_ratio', { line: 'all' })).toBeCloseTo(k.total.serviceLevel.value ?? -1, 12);
    expect(value(s, 'hotline_day_calls_counted', { line: 'all' })).toBe(k.total.answerRate.denominator);
    for (const l of k.lines) {
      if (l.answerRate.value !== null) expect(value(s, 'hotline_day_answer_ratio', { line: l.line })).toBeCloseTo(l.answerRate.value, 12);
      expect(value(s, 'hotline_day_calls_counted', { line: l.line })).toBe(l.answerRate.denominator);
    }
    for (const q of k.queues) {
      if (q.serviceLevel.value !== null) expect(value(s, 'hotline_day_queue_service_level_ratio', { queue: q.queue })).toBeCloseTo(q.serviceLevel.value, 12);
    }
  });

  it('a rate with nothing to divide by is absent, not 0; later scrapes follow the figures', async () => {
    const { day, kpis } = scripted();
    const registry = new Registry();
    registerDayMetrics(registry, kpis);
    let s = parseExposition(await registry.metrics());
    expect(s.filter((x) => x.name === 'hotline_day_answer_ratio')).toEqual([]);
    expect(value(s, 'hotline_day_calls_counted', { line: 'all' })).toBe(0);
    for (const r of scriptedDay()) day.add(factsOf(r));
    s = parseExposition(await registry.metrics());
    expect(value(s, 'hotline_day_calls_counted', { line: 'all' })).toBe(day.kpis().total.answerRate.denominator);
    expect(s.some((x) => x.name === 'hotline_day_answer_ratio')).toBe(true);
  });
});

describe('hotline_component_state', () => {
  it('is one-hot per component, follows the checks at each scrape, and a throwing check reads as down', async () => {
    let esl = 'ok';
    const registry = new Registry();
    registerHealthMetrics(registry, [
      { name: 'freeswitch', check: () => ({ state: esl }) },
      { name: 'records', check: () => { throw new Error('db gone'); } },
    ]);
    let s = parseExposition(await registry.metrics());
    expect(value(s, 'hotline_component_state', { component: 'freeswitch', state: 'ok' })).toBe(1);
    expect(value(s, 'hotline_component_state', { component: 'freeswitch', state: 'down' })).toBe(0);
    expect(value(s, 'hotline_component_state', { component: 'records', state: 'down' })).toBe(1);
    esl = 'down';
    s = parseExposition(await registry.metrics());
    expect(value(s, 'hotline_component_state', { component: 'freeswitch', state: 'down' })).toBe(1);
    expect(value(s, 'hotline_component_state', { component: 'freeswitch', state: 'ok' })).toBe(0);
  });
});

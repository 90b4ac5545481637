import { describe, expect, it } from 'vitest';
import { MetricsCollector } from '../../../src/app/metrics/index.js';
import { metricsScope } from '../../../src/core/metrics/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { shanghai } from '../../support/registry-builder.js';
import { dayRegistry, record } from './scripted-day.js';

const answered = (id: string, day: string, at: string) =>
  record(id, { line: '12345', at, queue: 'general', prompt: 1, wait: 5, outcome: 'answered' }, day);

describe('collector: today in the hotline time zone', () => {
  it('rolls over at local midnight (Asia/Shanghai: 16:00Z)', () => {
    const clock = new ManualClock('2026-03-10T15:00:00Z'); // 23:00 local
    const c = new MetricsCollector({ scope: metricsScope(dayRegistry()), clock, timers: clock });
    c.start();
    expect(c.today).toBe('2026-03-10');
    expect(clock.armed()).toEqual([Date.parse('2026-03-10T16:00:00Z')]);
    c.add(answered('a', '2026-03-10', '22:59'));
    expect(c.todayAggregate().kpis().total.counts.answered).toBe(1);

    clock.advanceTo(Date.parse('2026-03-10T15:59:59.999Z'));
    expect(c.today).toBe('2026-03-10');
    clock.advanceTo(Date.parse('2026-03-10T16:00:00Z'));
    expect(c.today).toBe('2026-03-11');
    expect(c.todayAggregate().kpis().total.counts.calls).toBe(0);
    expect(clock.armed()).toEqual([Date.parse('2026-03-11T16:00:00Z')]);

    // A call that arrived at 23:59 and ended after midnight is yesterday's: not in today's figures.
    c.add(answered('late', '2026-03-10', '23:59'));
    expect(c.todayAggregate().kpis().total.counts.calls).toBe(0);
    c.add(answered('b', '2026-03-11', '00:00:30'));
    expect(c.todayAggregate().kpis().total.counts.calls).toBe(1);
    expect(c.todayAggregate().kpis().hourly[0]?.offered).toBe(1);
  });

  it('stop cancels the rollover timer; version moves on records and ACD events', () => {
    const clock = new ManualClock(shanghai('2026-03-10 12:00'));
    const c = new MetricsCollector({ scope: metricsScope(dayRegistry()), clock, timers: clock });
    c.start();
    const v0 = c.version;
    c.add(answered('a', '2026-03-10', '11:00'));
    c.onAcdEvent({ type: 'agent-state', at: clock.now(), agentId: '1001', status: 'ready' });
    expect(c.version).toBe(v0 + 2);
    c.stop();
    expect(clock.armed()).toEqual([]);
  });
});

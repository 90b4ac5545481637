import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import { exampleText } from './registry-fixtures.js';
import type { Registry } from '../../../src/config/schema.js';

function loadExample(): Registry {
  const result = parseRegistry(exampleText(), 'config/hotline.example.yaml');
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}:${p.col} ${p.path} ${p.message}`).join('\n'));
  return result.registry;
}

describe('config/hotline.example.yaml', () => {
  it('loads with no errors and no warnings', () => {
    const result = parseRegistry(exampleText(), 'config/hotline.example.yaml');
    expect(result.ok ? result.warnings : result.problems).toEqual([]);
  });

  it('describes Hangzhou with legacy lines in all three modes', () => {
    const registry = loadExample();
    expect(registry.hotline).toMatchObject({ number: '12345', region: '杭州市', regionCode: '330100', timeZone: 'Asia/Shanghai' });
    expect(registry.lines.length).toBeGreaterThanOrEqual(9);
    expect(new Set(registry.lines.map((l) => l.mode))).toEqual(new Set(['merged', 'dual', 'subcenter']));
    expect(Object.keys(registry.queues).length).toBeGreaterThanOrEqual(6);
    expect(registry.agents.length).toBeGreaterThanOrEqual(30);
    const tax = registry.lines.find((l) => l.number === '12366');
    expect(tax?.mode === 'subcenter' && tax.subcenter.dial).toBe('sofia/gateway/tax-subcenter/12366');
  });

  it('has merged lines whose transition is still running in 2026 and some that have ended', () => {
    const until = loadExample().lines.flatMap((l) => (l.mode === 'merged' ? [l.transitionUntil] : []));
    expect(until.some((d) => d >= '2026-06-30')).toBe(true);
    expect(until.some((d) => d < '2026-01-01')).toBe(true);
  });

  it('keeps the 7×24 pool always open', () => {
    const registry = loadExample();
    const pool = registry.queues[registry.hotline.poolQueue];
    expect(pool?.overflow).toBeUndefined();
    expect(registry.schedules[pool?.schedule ?? '']?.alwaysOpen).toBe(true);
  });

  it('carries the 2026 public holidays and their adjusted workdays', () => {
    const calendar = loadExample().calendars['cn-2026'];
    expect(calendar?.holidays.map((h) => [h.from, h.to])).toEqual([
      ['2026-01-01', '2026-01-03'], ['2026-02-15', '2026-02-23'], ['2026-04-04', '2026-04-06'], ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'], ['2026-09-25', '2026-09-27'], ['2026-10-01', '2026-10-07'],
    ]);
    expect(calendar?.workdays.map((w) => w.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('lists the emergency lines and three neighbouring regions as transfer targets', () => {
    const targets = loadExample().transferTargets;
    expect(targets.filter((t) => t.kind === 'emergency').map((t) => t.number).sort()).toEqual(['110', '119', '120', '122']);
    const regions = targets.filter((t) => t.kind === 'region');
    expect(regions).toHaveLength(3);
    expect(regions.every((t) => t.number.startsWith('0'))).toBe(true);
  });

  it('applies defaults but keeps values written in the file', () => {
    const registry = loadExample();
    expect(registry.queues['general']).toMatchObject({ ringSeconds: 20, selection: 'skill-then-longest-idle' });
    expect(registry.queues['health']).toMatchObject({ ringSeconds: 15, selection: 'longest-idle' });
    expect(registry.lines.find((l) => l.number === '12328')?.priority).toBe(0);
    expect(registry.lines.find((l) => l.number === '12351')?.priority).toBe(1);
  });
});

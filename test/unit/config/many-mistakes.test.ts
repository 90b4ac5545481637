import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import { fixtureText } from './registry-fixtures.js';

/** [line, col, path, message] — every mistake in test/fixtures/registry/many-mistakes.yaml. */
const EXPECTED: readonly [number, number, string, string][] = [
  [6, 13, 'hotline.timeZone', 'unknown time zone "Asia/Shangai"'],
  [10, 42, 'lines[0].mode', 'must be one of merged, dual, subcenter'],
  [11, 15, 'lines[1].number', '110 is an emergency number and cannot be a line'],
  [12, 55, 'lines[2].queue', 'queue "transprt" is not defined'],
  [13, 15, 'lines[3].number', 'number 12319 is already used by lines[2].number'],
  [15, 126, 'queues.general.overflow', 'overflow cycle: general → backup → general'],
  [17, 31, 'queues.pool.schedule', 'the 7×24 pool "pool" uses schedule "office", which is not alwaysOpen'],
  [21, 5, 'queues.transport.maxWaitSecond', 'unknown key "maxWaitSecond"'],
  [27, 11, 'agents[1].id', 'agent id "1001" is used twice'],
  [27, 77, 'agents[1].queues[0]', 'agent 1001 (李娜) lacks skill "general" needed by queue "general"'],
  [34, 55, 'schedules.evening.weekly[0].open', 'expected HH:MM (00:00–24:00)'],
  [38, 46, 'calendars.cn.holidays[0].to', '国庆节 ends (2026-10-01) before it starts (2026-10-07)'],
  [39, 28, 'calendars.cn.holidays[1].from', '2026-02-30 is not a real date'],
  [40, 34, 'calendars.cn.workdays[0].date', '2026-10-12 is a Monday, not a weekend day'],
  [43, 58, 'transferTargets[1].number', 'expected a string, got number 57512345'],
  [44, 1, 'prompts', 'standard prompt "survey-thanks" is missing'],
  [46, 9, 'prompts.hold', 'needs either file or text'],
];

describe('a registry with many kinds of mistakes', () => {
  const result = parseRegistry(fixtureText('many-mistakes.yaml'), 'many-mistakes.yaml');

  it('returns no registry', () => {
    expect(result.ok).toBe(false);
    expect('registry' in result).toBe(false);
  });

  it('reports every mistake at its line and column, in file order, and nothing else', () => {
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => [p.line, p.col, p.path, p.message])).toEqual(EXPECTED);
    expect(problems.every((p) => p.file === 'many-mistakes.yaml' && p.severity === 'error')).toBe(true);
  });

  it('gives the hints that fix the typos', () => {
    const problems = result.ok ? [] : result.problems;
    const hintAt = (path: string) => problems.find((p) => p.path === path)?.hint;
    expect(hintAt('hotline.timeZone')).toBe('did you mean "Asia/Shanghai"?');
    expect(hintAt('lines[0].mode')).toBe('did you mean "dual"?');
    expect(hintAt('lines[2].queue')).toBe('did you mean "transport"?');
    expect(hintAt('queues.transport.maxWaitSecond')).toBe('did you mean "maxWaitSeconds"?');
    expect(hintAt('schedules.evening.weekly[0].open')).toBe('use two digits for the hour: "08:30"');
    expect(hintAt('transferTargets[1].number')).toContain('quote it: "057512345"');
    expect(hintAt('agents[1].id')).toBe('first used by agents[0] at line 26');
  });
});

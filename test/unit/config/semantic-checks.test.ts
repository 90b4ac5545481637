import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import type { Queue, Registry } from '../../../src/config/schema.js';
import { minimalWith, problemsIn, summaries } from './registry-fixtures.js';

/** `path  message` of every problem after `change` to the minimal registry. */
const after = (change: (r: Registry) => void): string[] => summaries(problemsIn(minimalWith(change)));
const lineAt = (r: Registry, i: number) => r.lines[i] as Record<string, unknown>;
const queue = (r: Registry, id: string): Queue => {
  const q = r.queues[id];
  if (q === undefined) throw new Error(`no queue ${id}`);
  return q;
};
const extraQueue = (overrides: Partial<Queue>): Queue => ({ ...queue(parsedMinimal(), 'general'), ...overrides });
const parsedMinimal = (): Registry => {
  const result = parseRegistry(minimalWith(() => undefined), 'm.yaml');
  if (!result.ok) throw new Error('minimal fixture does not load');
  return structuredClone(result.registry);
};

describe('numbers and ids', () => {
  it('accepts the minimal registry as it is', () => {
    expect(after(() => undefined)).toEqual([]);
  });

  it('refuses two lines with the same number, naming the first', () => {
    const problems = problemsIn(minimalWith((r) => { lineAt(r, 1)['number'] = '12328'; }));
    expect(summaries(problems)).toEqual(['lines[1].number  number 12328 is already used by lines[0].number']);
    expect(problems[0]?.hint).toMatch(/^see line \d+;/);
  });

  it('refuses a line with the hotline number or a transfer target number', () => {
    expect(after((r) => { lineAt(r, 0)['number'] = '12345'; })).toEqual(['lines[0].number  number 12345 is already used by hotline.number']);
    expect(after((r) => { lineAt(r, 0)['number'] = '057512345'; })).toEqual(['lines[0].number  number 057512345 is already used by transferTargets[1].number']);
  });

  it('refuses emergency numbers as lines or as the hotline', () => {
    expect(after((r) => { lineAt(r, 0)['number'] = '119'; })).toEqual(['lines[0].number  119 is an emergency number and cannot be a line']);
    expect(after((r) => { r.hotline.number = '120'; })).toEqual(['hotline.number  120 is an emergency number, not a hotline']);
  });

  it('keeps emergency targets and emergency numbers together', () => {
    expect(after((r) => { Object.assign(r.transferTargets[0] ?? {}, { number: '12110' }); })).toEqual([
      'transferTargets[0].number  12110 is not an emergency number (110, 119, 120, 122)',
    ]);
    expect(after((r) => { Object.assign(r.transferTargets[1] ?? {}, { number: '122' }); })).toEqual([
      'transferTargets[1].kind  122 is an emergency number, so kind must be emergency',
    ]);
  });

  it('refuses duplicate agent ids and transfer target ids', () => {
    expect(after((r) => { r.agents.push({ ...r.agents[0]!, name: '李娜', dial: 'user/1002' }); })).toEqual(['agents[1].id  agent id "1001" is used twice']);
    expect(after((r) => { Object.assign(r.transferTargets[1] ?? {}, { id: 'police' }); })).toEqual(['transferTargets[1].id  transfer target id "police" is used twice']);
  });
});

describe('references', () => {
  const cases: [string, (r: Registry) => void, string][] = [
    ['hotline.queue', (r) => { r.hotline.queue = 'generl'; }, 'queue "generl" is not defined'],
    ['hotline.poolQueue', (r) => { r.hotline.poolQueue = 'pol'; }, 'queue "pol" is not defined'],
    ['hotline.welcomePrompt', (r) => { r.hotline.welcomePrompt = 'welcome'; }, 'prompt "welcome" is not defined'],
    ['lines[0].queue', (r) => { lineAt(r, 0)['queue'] = 'transport'; }, 'queue "transport" is not defined'],
    ['lines[1].transitionPrompt', (r) => { lineAt(r, 1)['transitionPrompt'] = 'moved-12319'; }, 'prompt "moved-12319" is not defined'],
    ['lines[2].subcenter.overflowQueue', (r) => { Object.assign(lineAt(r, 2)['subcenter'] as object, { overflowQueue: 'pool2' }); }, 'queue "pool2" is not defined'],
    ['lines[2].subcenter.schedule', (r) => { Object.assign(lineAt(r, 2)['subcenter'] as object, { schedule: 'tax-hours' }); }, 'schedule "tax-hours" is not defined'],
    ['queues.general.overflow', (r) => { queue(r, 'general').overflow = 'overflow'; }, 'queue "overflow" is not defined'],
    ['queues.general.schedule', (r) => { queue(r, 'general').schedule = 'allways'; }, 'schedule "allways" is not defined'],
    ['agents[0].queues[2]', (r) => { r.agents[0]!.queues = ['general', 'pool', 'pool-24x7']; }, 'queue "pool-24x7" is not defined'],
    ['schedules.office.calendar', (r) => { r.schedules['office']!.calendar = 'cn-2026'; }, 'calendar "cn-2026" is not defined'],
  ];
  it.each(cases)('%s must name something defined', (path, change, message) => {
    expect(after(change)).toEqual([`${path}  ${message}`]);
  });

  it('suggests the closest defined id', () => {
    const [problem] = problemsIn(minimalWith((r) => { r.hotline.queue = 'genral'; }));
    expect(problem?.hint).toBe('did you mean "general"?');
  });

  it('does not call an id undefined when its entry is merely malformed', () => {
    expect(after((r) => { queue(r, 'general').maxLength = 0; })).toEqual(['queues.general.maxLength  must be at least 1, got number 0']);
  });

  it('requires the standard prompts, at the prompts key', () => {
    const problems = problemsIn(minimalWith((r) => { delete r.prompts['hold']; delete r.prompts['survey']; }));
    expect(summaries(problems)).toEqual(['prompts  standard prompt "hold" is missing', 'prompts  standard prompt "survey" is missing']);
    expect(problems[0]?.hint).toContain('local_stream://moh');
  });
});

describe('overflow and the 7×24 pool', () => {
  it('reports an overflow cycle once, with its path, at the first queue of the loop', () => {
    const problems = after((r) => {
      r.queues['a'] = extraQueue({ overflow: 'b' });
      r.queues['b'] = extraQueue({ overflow: 'c' });
      r.queues['c'] = extraQueue({ overflow: 'a' });
      queue(r, 'general').overflow = 'b';
    });
    expect(problems).toEqual(['queues.a.overflow  overflow cycle: a → b → c → a']);
  });

  it('reports a queue that overflows into itself', () => {
    expect(after((r) => { queue(r, 'general').overflow = 'general'; })).toEqual(['queues.general.overflow  overflow cycle: general → general']);
  });

  it('refuses a pool queue that overflows or is not open 7×24', () => {
    expect(after((r) => { queue(r, 'pool').overflow = 'general'; })).toContain('queues.pool.overflow  the 7×24 pool "pool" must not overflow');
    const problems = problemsIn(minimalWith((r) => { queue(r, 'pool').schedule = 'office'; }));
    expect(summaries(problems)).toEqual(['queues.pool.schedule  the 7×24 pool "pool" uses schedule "office", which is not alwaysOpen']);
    expect(problems[0]?.hint).toBe('use "always"');
  });
});

describe('agents and staffing', () => {
  it('refuses an agent in a queue whose skills it lacks', () => {
    expect(after((r) => { r.agents[0]!.skills = { transport: 5 }; })).toEqual([
      'agents[0].queues[0]  agent 1001 (王芳) lacks skill "general" needed by queue "general"',
    ]);
  });

  it('warns about a queue calls are sent to that no agent serves, and still loads', () => {
    const text = minimalWith((r) => { r.agents[0]!.queues = ['general']; });
    const result = parseRegistry(text, 'm.yaml');
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map((w) => [w.severity, w.path, w.message])).toEqual([['warning', 'queues.pool', 'no agent serves queue "pool"']]);
  });

  it('does not warn about an unstaffed queue reached only by overflow', () => {
    expect(after((r) => {
      r.queues['backup'] = extraQueue({ skills: [], overflow: 'pool' });
      queue(r, 'general').overflow = 'backup';
    })).toEqual([]);
  });
});

describe('schedules, calendars and dates', () => {
  it('refuses a schedule that never opens', () => {
    expect(after((r) => { r.schedules['never'] = { alwaysOpen: false }; })).toEqual([
      'schedules.never  schedule "never" is never open: it has neither alwaysOpen: true nor weekly hours',
    ]);
  });

  it('refuses opening hours that close before they open', () => {
    expect(after((r) => { r.schedules['office']!.weekly = [{ days: ['mon'], open: '22:00', close: '06:00' }]; })).toEqual([
      'schedules.office.weekly[0].close  closes at 06:00, which is not after it opens at 22:00',
    ]);
  });

  it('warns that weekly hours are ignored on an always-open schedule', () => {
    expect(after((r) => { r.schedules['always']!.weekly = [{ days: ['mon'], open: '08:00', close: '09:00' }]; })).toEqual([
      'schedules.always.weekly  weekly hours are ignored because alwaysOpen is true',
    ]);
  });

  it('refuses dates that do not exist', () => {
    expect(after((r) => { r.schedules['office']!.closedDates = ['2026-12-24', '2026-13-01']; })).toEqual(['schedules.office.closedDates[1]  2026-13-01 is not a real date']);
    expect(after((r) => { lineAt(r, 1)['transitionUntil'] = '2026-02-29'; })).toEqual(['lines[1].transitionUntil  2026-02-29 is not a real date']);
  });

  it('refuses a holiday that ends before it starts', () => {
    expect(after((r) => { r.calendars['cn']!.holidays = [{ name: '春节', from: '2026-02-23', to: '2026-02-15' }]; })).toEqual([
      'calendars.cn.holidays[0].to  春节 ends (2026-02-15) before it starts (2026-02-23)',
    ]);
  });

  it('refuses an adjusted workday that is not on a weekend', () => {
    expect(after((r) => { r.calendars['cn']!.workdays = [{ name: '调休', date: '2026-10-09' }]; })).toEqual([
      'calendars.cn.workdays[0].date  2026-10-09 is a Friday, not a weekend day',
    ]);
  });

  it('refuses time zones that do not exist, with a suggestion', () => {
    const problems = problemsIn(minimalWith((r) => { r.hotline.timeZone = 'Asia/Beijing'; r.schedules['office']!.timeZone = 'Europe/Berln'; }));
    expect(summaries(problems)).toEqual(['hotline.timeZone  unknown time zone "Asia/Beijing"', 'schedules.office.timeZone  unknown time zone "Europe/Berln"']);
    expect(problems[1]?.hint).toBe('did you mean "Europe/Berlin"?');
  });
});

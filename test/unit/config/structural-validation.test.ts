import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import { fixtureText, minimalWith, problemsIn, summaries } from './registry-fixtures.js';

const minimal = fixtureText('minimal.yaml');
/** The minimal registry with one line's text replaced. */
const replaceLine = (from: string, to: string): string => {
  expect(minimal).toContain(from);
  return minimal.replace(from, to);
};

describe('unknown keys', () => {
  it('points at the key and suggests the closest valid one', () => {
    const text = replaceLine('  poolQueue: pool\n', '  poolQueue: pool\n  shortAbandonSecond: 5\n');
    expect(problemsIn(text)).toEqual([
      {
        file: 'test.yaml', line: 8, col: 3, path: 'hotline.shortAbandonSecond', severity: 'error',
        message: 'unknown key "shortAbandonSecond"', hint: 'did you mean "shortAbandonSeconds"?',
      },
    ]);
  });

  it('reports a misspelt required key once, as the typo', () => {
    const text = replaceLine('  queue: general\n', '  queu: general\n');
    expect(summaries(problemsIn(text))).toEqual(['hotline.queu  unknown key "queu"']);
  });

  it('lists the valid keys when nothing is close', () => {
    const [problem] = problemsIn(replaceLine('  poolQueue: pool\n', '  poolQueue: pool\n  colour: red\n'));
    expect(problem?.hint).toMatch(/^valid keys here: number, region, regionCode, timeZone, queue, poolQueue/);
  });

  it('rejects a record key that is not an id and offers the lower-case form', () => {
    const text = replaceLine('  always: { alwaysOpen: true }', '  always: { alwaysOpen: true }\n  Night Shift: { alwaysOpen: true }');
    const [problem] = problemsIn(text);
    expect(problem).toMatchObject({ line: 22, col: 3, path: 'schedules["Night Shift"]', message: '"Night Shift" is not a valid id' });
    expect(problem?.hint).toContain('"night-shift"');
  });
});

describe('lines are validated against the branch their mode selects', () => {
  it('reports a key that belongs to another mode as unknown, and nothing about other branches', () => {
    const text = minimalWith((r) => Object.assign(r.lines[0] ?? {}, { transitionPrompt: 'moved' }));
    expect(summaries(problemsIn(text))).toEqual(['lines[0].transitionPrompt  unknown key "transitionPrompt"']);
  });

  it('reports a missing sub-center block once, at the line', () => {
    const text = minimalWith((r) => {
      const line = r.lines[2] as Record<string, unknown>;
      delete line['subcenter'];
    });
    expect(summaries(problemsIn(text))).toEqual(['lines[2]  missing required key "subcenter"']);
  });

  it('reports a bad mode as one problem with a suggestion', () => {
    const problems = problemsIn(replaceLine('mode: dual, queue: general', 'mode: subcentre, queue: general'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 9, col: 42, path: 'lines[0].mode', message: 'must be one of merged, dual, subcenter', hint: 'did you mean "subcenter"?' });
  });

  it('asks for the mode when it is missing', () => {
    expect(summaries(problemsIn(replaceLine('mode: dual, ', '')))).toEqual(['lines[0]  missing required key "mode"']);
  });

  it('applies the line defaults', () => {
    const result = parseRegistry(minimal, 'm.yaml');
    expect(result.ok && result.registry.lines.map((l) => l.priority)).toEqual([0, 0, 0]);
  });
});

describe('prompts', () => {
  it('says a prompt needs either file or text', () => {
    const problems = problemsIn(replaceLine('  goodbye: { text: 再见 }', '  goodbye: 再见'));
    expect(summaries(problems)).toEqual(['prompts.goodbye  needs either file or text']);
    expect(problems[0]?.line).toBe(39);
  });

  it('refuses a prompt with both file and text', () => {
    const problems = problemsIn(replaceLine('  goodbye: { text: 再见 }', '  goodbye: { text: 再见, file: bye.wav }'));
    expect(summaries(problems)).toEqual(['prompts.goodbye  has both file and text; a prompt is one or the other']);
  });

  it('checks the chosen branch fully', () => {
    const problems = problemsIn(replaceLine('  goodbye: { text: 再见 }', '  goodbye: { text: 再见, voice: 1 }'));
    expect(summaries(problems)).toEqual(['prompts.goodbye.voice  expected a string, got number 1']);
  });
});

describe('plain-English messages at the value', () => {
  it('lists the choices of a union of literals once', () => {
    const problems = problemsIn(replaceLine('days: [mon, tue,', 'days: [monday, tue,'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 24, col: 23, path: 'schedules.office.weekly[0].days[0]', message: 'must be one of mon, tue, wed, thu, fri, sat, sun', hint: 'did you mean "mon"?' });
  });

  it('explains numbers out of range', () => {
    const problems = problemsIn(replaceLine('maxWaitSeconds: 600', 'maxWaitSeconds: 0'));
    expect(summaries(problems)).toEqual(['queues.pool.maxWaitSeconds  must be at least 1, got number 0']);
  });

  it('tells to quote a number YAML read as an integer, keeping its leading zero', () => {
    const problems = problemsIn(replaceLine('number: "057512345"', 'number: 057512345'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'transferTargets[1].number', message: 'expected a string, got number 57512345' });
    expect(problems[0]?.hint).toContain('"057512345"');
  });

  it('tells to unquote a quoted whole number', () => {
    const [problem] = problemsIn(replaceLine('maxWaitSeconds: 600', 'maxWaitSeconds: "600"'));
    expect(problem).toMatchObject({ message: 'expected a whole number, got "600"', hint: 'remove the quotes' });
  });

  it('points a missing required key at the object that lacks it', () => {
    const problems = problemsIn(replaceLine('maxLength: 100, wrapUpSeconds: 10, announceEverySeconds: 30 }', 'wrapUpSeconds: 10, announceEverySeconds: 30 }'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 17, col: 9, path: 'queues.pool', message: 'missing required key "maxLength"' });
    expect(problems[0]?.hint).toContain('maxLength: callers beyond this go straight to overflow');
  });

  it('flags a duplicated weekday', () => {
    const problems = problemsIn(replaceLine('days: [mon, tue, wed, thu, fri]', 'days: [mon, tue, mon]'));
    expect(summaries(problems)).toEqual(['schedules.office.weekly[0].days[2]  "mon" is listed twice']);
  });

  it('refuses a document that is not a mapping', () => {
    expect(summaries(problemsIn('- 1\n- 2\n'))).toEqual(['  expected a mapping (key: value), got a list']);
  });
});

describe('YAML errors', () => {
  it('reports a syntax error at its location and loads nothing', () => {
    const result = parseRegistry(replaceLine('  region: 测试市\n', '  region: [测试市\n'), 'bad.yaml');
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: 'bad.yaml', line: 6, severity: 'error' });
    expect(problems[0]?.message).toMatch(/^YAML: /);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const problems = problemsIn(replaceLine('  poolQueue: pool\n', '  poolQueue: pool\n  queue: pool\n'));
    expect(problems).toEqual([expect.objectContaining({ line: 8, col: 3, message: 'YAML: Map keys must be unique' })]);
  });

  it('reports a tab used for indentation', () => {
    const [problem] = problemsIn(replaceLine('  region: 测试市\n', '\tregion: 测试市\n'));
    expect(problem).toMatchObject({ line: 5, col: 1, hint: 'indent with spaces; YAML does not allow tabs' });
  });

  it('says an empty file is empty', () => {
    expect(summaries(problemsIn('# nothing yet\n'))).toEqual(['  the file is empty']);
  });
});

describe('empty values', () => {
  it('points at the key when its value was left empty', () => {
    const [problem] = problemsIn(replaceLine('  region: 测试市\n', '  region:\n'));
    expect(problem).toMatchObject({ line: 5, col: 3, path: 'hotline.region', message: 'expected a string, got nothing' });
  });
});

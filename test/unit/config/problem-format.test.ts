import { describe, expect, it } from 'vitest';
import { formatPath, formatProblem, formatProblems, summarizeProblems, type Problem } from '../../../src/config/problem.js';
import { closest, editDistance } from '../../../src/config/suggest.js';

const problem = (overrides: Partial<Problem> = {}): Problem => ({
  file: 'hotline.yaml', line: 12, col: 5, path: 'queues.transport.maxWaitSecond', message: 'unknown key "maxWaitSecond"', severity: 'error', ...overrides,
});

describe('formatProblem', () => {
  it('writes file:line:col, path and message, and the hint indented on the next line', () => {
    expect(formatProblem(problem({ hint: 'did you mean "maxWaitSeconds"?' }))).toBe(
      'hotline.yaml:12:5  queues.transport.maxWaitSecond  unknown key "maxWaitSecond"\n    hint: did you mean "maxWaitSeconds"?',
    );
  });

  it('marks warnings and omits a missing hint', () => {
    expect(formatProblem(problem({ severity: 'warning', message: 'no agent serves queue "x"' }))).toBe(
      'hotline.yaml:12:5  queues.transport.maxWaitSecond  warning: no agent serves queue "x"',
    );
  });

  it('leaves out line:col for a problem with the whole file', () => {
    expect(formatProblem(problem({ line: 0, col: 0, path: '', message: 'cannot read the registry: no such file' }))).toBe(
      'hotline.yaml  (document)  cannot read the registry: no such file',
    );
  });

  it('joins several problems and counts them', () => {
    const list = [problem(), problem({ severity: 'warning' }), problem()];
    expect(formatProblems(list).split('\n')).toHaveLength(3);
    expect(summarizeProblems(list)).toBe('2 errors, 1 warning');
    expect(summarizeProblems([])).toBe('0 errors, 0 warnings');
  });
});

describe('formatPath', () => {
  it('uses dots for keys and brackets for indexes', () => {
    expect(formatPath(['lines', 3, 'subcenter', 'dial'])).toBe('lines[3].subcenter.dial');
    expect(formatPath(['queues', 'pool-24x7', 'schedule'])).toBe('queues.pool-24x7.schedule');
  });

  it('quotes keys that would be ambiguous', () => {
    expect(formatPath(['schedules', 'Night Shift'])).toBe('schedules["Night Shift"]');
    expect(formatPath([])).toBe('');
  });
});

describe('suggestions', () => {
  it('counts a swapped pair of letters as one edit', () => {
    expect(editDistance('transprot', 'transport')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    expect(closest('maxWaitSecond', ['maxLength', 'maxWaitSeconds', 'wrapUpSeconds'])).toBe('maxWaitSeconds');
    expect(closest('Monday', ['mon', 'tue'])).toBe('mon');
    expect(closest('colour', ['number', 'region', 'queue'])).toBeUndefined();
  });
});

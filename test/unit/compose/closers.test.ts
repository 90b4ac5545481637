/** Closing what the composition opened: every step runs, in reverse order, within bounds. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Closers, runCloseSteps } from '../../../src/compose/closers.js';
import { createLogger } from '../../../src/lib/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

const never = (): Promise<void> => new Promise(() => undefined);

describe('closing steps', () => {
  it('a step that throws or rejects does not stop the others; each failure is logged with its error', async () => {
    const { lines, logger } = capture();
    const ran: string[] = [];
    const result = await runCloseSteps([
      { name: 'http', run: () => { ran.push('http'); throw new Error('http refused to close'); } },
      { name: 'esl', run: async () => { ran.push('esl'); await Promise.reject(new Error('esl socket gone')); } },
      { name: 'redis', run: () => { ran.push('redis'); } },
    ], logger, { deadlineMs: 1_000 });
    expect(ran).toEqual(['http', 'esl', 'redis']);
    expect(result).toEqual({ failed: ['http', 'esl'], unfinished: [] });
    const failures = lines.filter((l) => l.msg === 'close step failed; going on with the next');
    expect(failures.map((l) => [l.step, (l.err as { message: string }).message]))
      .toEqual([['http', 'http refused to close'], ['esl', 'esl socket gone']]);
    expect((failures[0]?.err as { stack?: string }).stack).toContain('http refused to close');
  });

  it('a step that hangs is left behind after stepMs and the next steps still run', async () => {
    const { lines, logger } = capture();
    const ran: string[] = [];
    const t0 = Date.now();
    const result = await runCloseSteps([
      { name: 'stuck', run: never },
      { name: 'redis', run: () => { ran.push('redis'); } },
    ], logger, { deadlineMs: 5_000, stepMs: 50 });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(ran).toEqual(['redis']);
    expect(result).toEqual({ failed: [], unfinished: ['stuck'] });
    expect(lines.some((l) => l.msg === 'close steps not finished in time; left behind')).toBe(true);
  });

  it('past the overall deadline the remaining steps are given up on and reported', async () => {
    const { logger } = capture();
    const result = await runCloseSteps([
      { name: 'slow', run: never },
      { name: 'later', run: () => undefined },
    ], logger, { deadlineMs: 50 });
    expect(result).toEqual({ failed: [], unfinished: ['slow', 'later'] });
  });

  it('Closers closes last-opened first, and only once', async () => {
    const { logger } = capture();
    const closed: string[] = [];
    const closers = new Closers(logger, { deadlineMs: 1_000 });
    for (const name of ['state', 'acd', 'metrics', 'http']) closers.push(name, () => { closed.push(name); });
    const [a, b] = await Promise.all([closers.close(), closers.close()]);
    expect(closed).toEqual(['http', 'metrics', 'acd', 'state']);
    expect(a).toBe(b);
  });
});

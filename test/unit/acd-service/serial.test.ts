import { describe, expect, it } from 'vitest';
import { BackgroundTasks, KeyedSerial } from '../../../src/app/acd/serial.js';

const turns = async (n: number) => { for (let i = 0; i < n; i += 1) await Promise.resolve(); };

describe('KeyedSerial', () => {
  it('runs one key\'s tasks one after another in arrival order, other keys alongside, a failure not blocking the next', async () => {
    const s = new KeyedSerial();
    const log: string[] = [];
    const task = (name: string, wait: number, fail = false) => async () => {
      log.push(`${name} start`);
      await turns(wait);
      log.push(`${name} end`);
      if (fail) throw new Error(name);
      return name;
    };
    const a1 = s.run('a', task('a1', 5, true));
    const a2 = s.run('a', task('a2', 1));
    const b1 = s.run('b', task('b1', 1));
    await expect(a1).rejects.toThrow('a1');
    expect(await a2).toBe('a2');
    expect(await b1).toBe('b1');
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 end')).toBeLessThan(log.indexOf('a1 end'));
    // A key whose tasks are all done starts the next one at once (one turn later), as a new key.
    log.length = 0;
    await turns(3);
    const a3 = s.run('a', task('a3', 0));
    const c1 = s.run('c', task('c1', 0));
    await Promise.all([a3, c1]);
    expect(log).toEqual(['a3 start', 'c1 start', 'a3 end', 'c1 end']);
  });
});

describe('BackgroundTasks', () => {
  it('idle waits for work started by work; failures are reported, not thrown', async () => {
    const errors: string[] = [];
    const t = new BackgroundTasks((err, what) => { errors.push(`${what}: ${(err as Error).message}`); });
    let done = false;
    void t.track((async () => {
      await turns(2);
      void t.track((async () => { await turns(3); done = true; })(), 'inner');
    })(), 'outer');
    await expect(t.track(Promise.reject(new Error('boom')), 'failing')).resolves.toBeUndefined();
    await t.idle();
    expect(done).toBe(true);
    expect(errors).toEqual(['failing: boom']);
  });
});

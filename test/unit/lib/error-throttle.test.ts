/** Connection errors: one line per distinct cause per interval, the repeats counted. */
import { describe, expect, it } from 'vitest';
import { causeKey, throttledErrorLog } from '../../../src/lib/error-throttle.js';

function refused(port: number): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED' });
}

describe('throttledErrorLog', () => {
  it('logs a cause once per interval with the error, then the next line carries the suppressed count', () => {
    const lines: { obj: Record<string, unknown>; msg: string }[] = [];
    let now = 0;
    const report = throttledErrorLog({ warn: (obj, msg) => { lines.push({ obj: obj as Record<string, unknown>, msg }); } },
      'redis connection error', { intervalMs: 1_000, now: () => now });
    const err = refused(6379);
    for (let i = 0; i < 5; i += 1) { report(err, { attempt: i }); now += 100; }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({ obj: { attempt: 0, err }, msg: 'redis connection error' });

    const other = Object.assign(new Error('WRONGPASS invalid username-password pair'), { code: 'WRONGPASS' });
    report(other);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.obj.err).toBe(other);

    now = 1_000;
    report(err);
    expect(lines).toHaveLength(3);
    expect(lines[2]?.obj).toMatchObject({ err, suppressed: 4 });
    report(err);
    expect(lines).toHaveLength(3);
  });

  it('tells causes apart by code, by message without one, and by the wrapped cause', () => {
    expect(causeKey(refused(1))).toBe(causeKey(refused(2)));
    expect(causeKey(new Error('a'))).not.toBe(causeKey(new Error('b')));
    const wrap = (cause: Error) => Object.assign(new Error('socket error', { cause }), { code: 'ESL_ERR_SOCKET' });
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(causeKey(wrap(refused(1)))).not.toBe(causeKey(wrap(reset)));
  });
});

/**
 * One log line per distinct cause per interval. A refused Redis or FreeSWITCH connection is
 * retried every second or faster: logging every attempt floods the log, logging none hides a
 * wrong password. The first occurrence of a cause is logged at once; repeats within the interval
 * are counted and the count rides on the next line logged for that cause (`suppressed`).
 */
export interface ThrottledLogger {
  warn(obj: object, msg: string): void;
}

export interface ErrorThrottleOptions {
  /** default 60 s */
  readonly intervalMs?: number;
  /** default Date.now */
  readonly now?: () => number;
}

/**
 * What distinguishes two causes: the error's code (ECONNREFUSED, WRONGPASS…) or, without one,
 * its message — and the same of its `cause`, so a wrapper's one code does not merge a refused
 * connection with a reset one.
 */
export function causeKey(err: unknown, depth = 0): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const own = typeof code === 'string' || typeof code === 'number' ? `${err.name}:${code}` : `${err.name}:${err.message}`;
  return err.cause !== undefined && depth < 3 ? `${own} < ${causeKey(err.cause, depth + 1)}` : own;
}

const MAX_CAUSES = 100;

export type ErrorReporter = (err: unknown, fields?: object) => void;

export function throttledErrorLog(log: ThrottledLogger, msg: string, opts: ErrorThrottleOptions = {}): ErrorReporter {
  const intervalMs = opts.intervalMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const seen = new Map<string, { loggedAt: number; suppressed: number }>();
  return (err, fields = {}) => {
    const key = causeKey(err);
    const t = now();
    const entry = seen.get(key);
    if (entry !== undefined && t - entry.loggedAt < intervalMs) {
      entry.suppressed += 1;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    seen.delete(key);
    seen.set(key, { loggedAt: t, suppressed: 0 });
    // A cause whose text varies (an address, a counter) must not grow the map without end.
    if (seen.size > MAX_CAUSES) seen.delete(seen.keys().next().value!);
    log.warn({ ...fields, err, ...(suppressed > 0 ? { suppressed } : {}) }, msg);
  };
}

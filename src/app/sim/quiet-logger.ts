/**
 * A logger that says nothing and costs nothing. A simulated day runs a hundred thousand call
 * sessions, each making child loggers; pino's children (even at level silent) were a third of
 * the run's allocations. Only the methods the sessions and the ACD call are real.
 */
import type { Logger } from '../../lib/logger.js';

const noop = (): void => undefined;

export function quietLogger(): Logger {
  const logger = {
    level: 'silent',
    fatal: noop, error: noop, warn: noop, info: noop, debug: noop, trace: noop, silent: noop,
    child: () => logger,
    isLevelEnabled: () => false,
  };
  // The sessions use only the methods above; the rest of pino's surface is never reached.
  return logger as unknown as Logger;
}

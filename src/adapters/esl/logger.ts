/** The minimal logger the ESL layer writes to (pino-compatible); the caller owns children/levels. */
export interface EslLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const noop = (): void => undefined;
export const silentLogger: EslLogger = { debug: noop, info: noop, warn: noop, error: noop };

import { pino, type Logger, type LoggerOptions } from 'pino';
import { maskNumber } from './mask.js';

export type { Logger } from 'pino';

/** Fields that may hold a caller's number, wherever they appear in a log object. */
export const CALLER_NUMBER_FIELDS = ['from', 'caller', 'callerNumber', 'ani', 'callerIdNumber'] as const;

const redactPaths = CALLER_NUMBER_FIELDS.flatMap((f) => [f, `*.${f}`]);

export interface LoggerConfig {
  level?: string;
  /** Where the lines go; default stdout. Tests pass a stream to read what was written. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(config: LoggerConfig = {}): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: 'hotline-router' },
    redact: {
      paths: redactPaths,
      censor: (value: unknown) => (typeof value === 'string' ? maskNumber(value) : value),
    },
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}

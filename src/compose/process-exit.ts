/**
 * How the `hotline serve` process ends when things go wrong.
 *
 * - An unhandled rejection or an uncaught exception leaves the router in a state nobody
 *   reasoned about: log it, flush the log, exit non-zero, and let the supervisor (systemd,
 *   Kubernetes…) start a fresh process. Callers are not lost: FreeSWITCH's dialplan falls back
 *   to the 7×24 pool while the router is away, and the other nodes reap this one's heartbeat.
 * - After stop() the process should end by itself, every handle closed. If something is still
 *   open after a grace period (a step that hung), exit anyway: a process that never ends is a
 *   node that cannot be restarted.
 */
import type { Logger } from '../lib/logger.js';

/** EX_SOFTWARE: an internal error, not a usage or configuration one. */
export const EXIT_FAULT = 70;

export interface ProcessHooks {
  on(event: 'unhandledRejection' | 'uncaughtException', listener: (err: unknown) => void): unknown;
  off(event: 'unhandledRejection' | 'uncaughtException', listener: (err: unknown) => void): unknown;
  exit(code: number): void;
}

/** Flush what the logger buffered, then exit; exit anyway if the flush does not call back. */
export function flushAndExit(logger: Logger, code: number, hooks: Pick<ProcessHooks, 'exit'> = process): void {
  let done = false;
  const exit = (): void => {
    if (done) return;
    done = true;
    hooks.exit(code);
  };
  setTimeout(exit, 1_000).unref();
  try {
    logger.flush(exit);
  } catch {
    exit();
  }
}

/** Installs the fault handlers; returns their removal. */
export function exitOnProcessFaults(logger: Logger, hooks: ProcessHooks = process): () => void {
  let exiting = false;
  const handler = (fault: 'unhandledRejection' | 'uncaughtException') => (err: unknown): void => {
    logger.fatal({ err, fault }, 'unhandled fault; exiting so that a supervisor restarts the router');
    if (exiting) return;
    exiting = true;
    flushAndExit(logger, EXIT_FAULT, hooks);
  };
  const onRejection = handler('unhandledRejection');
  const onException = handler('uncaughtException');
  hooks.on('unhandledRejection', onRejection);
  hooks.on('uncaughtException', onException);
  return () => {
    hooks.off('unhandledRejection', onRejection);
    hooks.off('uncaughtException', onException);
  };
}

/**
 * Once everything is closed the event loop empties and the process ends by itself; this
 * unref'd timer fires only if something still holds it open after graceMs.
 */
export function exitIfStillRunning(logger: Logger, code: number, graceMs: number, hooks: Pick<ProcessHooks, 'exit'> = process): void {
  setTimeout(() => {
    logger.error({ graceMs }, 'handles still open after stop; exiting anyway');
    flushAndExit(logger, code, hooks);
  }, graceMs).unref();
}

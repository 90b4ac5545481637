/**
 * Runs a second node process whose output is ours: Ctrl-C or a supervisor's stop reaches the
 * process doing the work, and its exit code becomes ours (128 when a signal ended it, 1 when it
 * could not start).
 */
import { spawn } from 'node:child_process';

export function runNode(argv: readonly string[], opts: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  const child = spawn(process.execPath, argv, { stdio: 'inherit', ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }), ...(opts.env === undefined ? {} : { env: opts.env }) });
  const forward = (signal: NodeJS.Signals): void => { child.kill(signal); };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    const done = (code: number): void => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code);
    };
    child.once('error', () => done(1));
    child.once('exit', (code, signal) => done(code ?? (signal === null ? 1 : 128)));
  });
}

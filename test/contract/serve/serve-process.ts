/**
 * `hotline serve` as a real process (bin/hotline.js → dist/), for the fault tests: its log lines
 * (JSON on stdout), its stderr, and how and when it ended.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../support/run-cli.js';

const bin = fileURLToPath(new URL('../../../bin/hotline.js', import.meta.url));
export const faultPreload = fileURLToPath(new URL('../../fixtures/serve/fault-on-signal.js', import.meta.url));

export interface LogLine { level: number; msg: string; err?: { type?: string; message?: string; code?: string; stack?: string }; [k: string]: unknown }

export interface Ended { code: number | null; signal: NodeJS.Signals | null; afterMs: number }

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  stderr(): string;
  /** Resolves when the process has ended by itself (never kills it). */
  readonly ended: Promise<Ended>;
  /** Waits for a log line; rejects after timeoutMs or when the process ends first. */
  waitFor(pred: (l: LogLine) => boolean, timeoutMs: number): Promise<LogLine>;
  kill(): void;
}

export function startServe(env: Record<string, string>, nodeArgs: string[] = []): ServeProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, bin, 'serve'], {
    cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HTTP_HOST: '127.0.0.1', OUTBOUND_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
  });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      try { lines.push(JSON.parse(line) as LogLine); } catch { /* not a log line */ }
    }
    for (const w of waiters) w();
  });
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const ended = new Promise<Ended>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal, afterMs: Date.now() - started });
      for (const w of waiters) w();
    });
  });
  return {
    child, lines, ended,
    stderr: () => err,
    waitFor(pred, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const hit = lines.find(pred);
          if (hit !== undefined) { done(); resolve(hit); } else if (child.exitCode !== null || child.signalCode !== null) {
            done(); reject(new Error(`serve ended before the line came; stderr: ${err}`));
          }
        };
        const timer = setTimeout(() => { done(); reject(new Error(`no such log line within ${timeoutMs} ms; stderr: ${err}`)); }, timeoutMs);
        const done = (): void => { clearTimeout(timer); waiters.delete(check); };
        waiters.add(check);
        check();
      });
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    },
  };
}

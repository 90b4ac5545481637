/**
 * Child processes of the e2e suites (FreeSWITCH, the router, sipp), each started in its own
 * process group so that one kill reaches everything it spawned. Every group is remembered and
 * killed when the test process exits, whatever happened — no stray FreeSWITCH on a shared box.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const groups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

process.once('exit', () => {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
});

export interface Managed {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM the group, SIGKILL it after graceMs; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL the group at once. */
  kill(): Promise<number | null>;
}

export function spawnManaged(command: string, args: readonly string[], options: SpawnOptions = {}): Managed {
  const child = spawn(command, args, { stdio: 'ignore', ...options, detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  groups.add(pid);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      // The leader is gone; anything it left in the group goes with it.
      killGroup(pid, 'SIGKILL');
      groups.delete(pid);
      resolve(code);
    });
    child.once('error', () => resolve(null));
  });
  const isRunning = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child, pid, exited,
    async stop(graceMs = 5_000) {
      if (!isRunning()) return exited;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (isRunning()) killGroup(pid, 'SIGKILL');
      return exited;
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last === undefined ? '' : `: ${last instanceof Error ? last.message : JSON.stringify(last)}`}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A bench helper process (a TypeScript file run with tsx) driven over IPC, with request/response
 * by message id, and a stop that leaves nothing behind: disconnect, then SIGTERM, then SIGKILL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';

export interface ChildMessage {
  type: string;
  id?: number;
}

/** Omit over each member of a union (the built-in Omit collapses a union to its common keys). */
export type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

export class BenchChild<In extends ChildMessage, Out extends ChildMessage> {
  private readonly proc: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly waiting = new Map<number, (msg: Out) => void>();
  private readonly listeners = new Set<(msg: Out) => void>();
  private nextId = 1;

  constructor(file: string, opts: { args?: readonly string[]; nodeOptions?: readonly string[]; cwd?: string } = {}) {
    // Not the parent's flags: tsx to run TypeScript, and what the caller asks for.
    this.proc = fork(file, [...(opts.args ?? [])], {
      execArgv: ['--import', 'tsx', ...(opts.nodeOptions ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    });
    this.exited = new Promise((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.on('message', (raw) => {
      const msg = raw as Out;
      const waiter = msg.id === undefined ? undefined : this.waiting.get(msg.id);
      if (waiter !== undefined && msg.id !== undefined) {
        this.waiting.delete(msg.id);
        waiter(msg);
      }
      for (const l of this.listeners) l(msg);
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Fire and forget. */
  send(msg: In): void {
    this.proc.send(msg);
  }

  /** Sends `msg` with a fresh id and resolves with the reply carrying that id. */
  request<R extends Out>(msg: Unsent<In>, timeoutMs = 60_000): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no reply to ${msg.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply as R);
      });
      this.proc.send({ ...msg, id });
    });
  }

  on(listener: (msg: Out) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    if (this.proc.connected) this.proc.disconnect();
    const gone = await Promise.race([this.exited.then(() => true), sleep(3000).then(() => false)]);
    if (gone) return;
    this.proc.kill('SIGTERM');
    const termed = await Promise.race([this.exited.then(() => true), sleep(2000).then(() => false)]);
    if (!termed) this.proc.kill('SIGKILL');
    await this.exited;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

/** The 1/5/15-minute load averages, to print beside numbers measured on a shared machine. */
export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}

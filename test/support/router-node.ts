/**
 * Runs a router node in a child process (./router-node-child.ts, through tsx) and drives it over
 * IPC. Each child is its own process group, killed with the group on `kill()`/`stopAll()` and
 * when the test process exits, so nothing is left behind.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { InitArgs, Report } from './router-node-child.js';

export type { AssignmentRecord, ReapRecord, ReapedWhileAlive, Report, Requeue, ReservationRecord } from './router-node-child.js';

const CHILD = fileURLToPath(new URL('./router-node-child.ts', import.meta.url));
const live = new Set<ChildProcess>();
let hooked = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export interface RouterNode {
  readonly nodeId: string;
  readonly pid: number;
  call<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  report(): Promise<Report>;
  /** SIGKILL the whole process group: a node dying without a word. */
  kill(): Promise<void>;
  /** SIGSTOP the process group: a node frozen (GC pause, stalled CPU) that still holds its sockets. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Graceful: the node leaves the cluster and exits. */
  stop(): Promise<void>;
}

export async function startRouterNode(args: Omit<InitArgs, 'answer' | 'talkMs'> & Partial<Pick<InitArgs, 'answer' | 'talkMs'>>): Promise<RouterNode> {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => { for (const c of live) killGroup(c, 'SIGKILL'); });
  }
  // ROUTER_NODE_CPU_PROF=<dir>: each node writes a V8 CPU profile there when it exits (stop()).
  const prof = process.env.ROUTER_NODE_CPU_PROF;
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx', ...(prof === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${prof}`])], detached: true, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { live.delete(child); resolve(); }));
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: { code: string; message: string } }) => {
    const p = pending.get(m.id);
    if (p === undefined) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(Object.assign(new Error(m.error?.message ?? 'failed'), { code: m.error?.code }));
  });
  void exited.then(() => { for (const p of pending.values()) p.reject(new Error('router node exited')); pending.clear(); });
  const call = <T>(cmd: string, a?: unknown, timeoutMs = 30_000): Promise<T> => new Promise<T>((resolve, reject) => {
    const id = (next += 1);
    const timer = setTimeout(() => { pending.delete(id); reject(new Error(`router node: ${cmd} timed out`)); }, timeoutMs);
    pending.set(id, {
      resolve: (v) => { clearTimeout(timer); resolve(v as T); },
      reject: (e) => { clearTimeout(timer); reject(e); },
    });
    child.send({ id, cmd, args: a });
  });
  const nodeId = await call<string>('init', { answer: 'auto', talkMs: 5, ...args });
  return {
    nodeId,
    pid: child.pid ?? -1,
    call,
    report: () => call<Report>('report'),
    pause() {
      killGroup(child, 'SIGSTOP');
    },
    resume() {
      killGroup(child, 'SIGCONT');
    },
    async kill() {
      killGroup(child, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await call('stop').catch(() => undefined);
      const t = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** afterAll: every node still running, killed. */
export async function stopAllRouterNodes(): Promise<void> {
  const all = [...live];
  for (const c of all) killGroup(c, 'SIGKILL');
  await Promise.all(all.map((c) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve()
    : new Promise<void>((r) => c.once('exit', () => r())))));
}

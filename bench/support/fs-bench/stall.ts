/**
 * A process that stalls: SIGSTOP for `stoppedMs`, SIGCONT for `runningMs`, over and over, during
 * the rate steps. `FS_BENCH_STALL=running/stopped` (ms) stalls FreeSWITCH — slow the way a starved
 * or paging host makes it, every thread at once, the same slow peer for both ACDs;
 * `FS_BENCH_ROUTER_STALL` stalls the router (its host stopping it: the shedding rule's case).
 */
export interface Stall { stop(): void }

export interface StallSpec { readonly runningMs: number; readonly stoppedMs: number }

export function parseStall(name: string, spec: string | undefined): StallSpec | undefined {
  if (spec === undefined || spec === '') return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (m === null) throw new Error(`${name}="${spec}": expected running/stopped milliseconds, e.g. 50/50`);
  return { runningMs: Number(m[1]), stoppedMs: Number(m[2]) };
}

export function startStall(pid: number, { runningMs, stoppedMs }: StallSpec): Stall {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const signal = (s: NodeJS.Signals): void => {
    try { process.kill(pid, s); } catch { /* gone: the world's teardown reports that */ }
  };
  const pause = (): void => {
    signal('SIGSTOP');
    stopped = true;
    timer = setTimeout(resume, stoppedMs);
  };
  const resume = (): void => {
    signal('SIGCONT');
    stopped = false;
    timer = setTimeout(pause, runningMs);
  };
  timer = setTimeout(pause, runningMs);
  return {
    stop(): void {
      clearTimeout(timer);
      if (stopped) signal('SIGCONT');
    },
  };
}

/**
 * A FreeSWITCH that stalls: SIGSTOP for `stoppedMs`, SIGCONT for `runningMs`, over and over, for
 * the rate steps of `FS_BENCH_STALL=running/stopped` (ms). It makes the switch slow in the way a
 * starved or paging host does — every thread at once — so both ACDs face the same slow peer.
 */
export interface Stall { stop(): void }

export function parseStall(spec: string | undefined): { runningMs: number; stoppedMs: number } | undefined {
  if (spec === undefined || spec === '') return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (m === null) throw new Error(`FS_BENCH_STALL="${spec}": expected running/stopped milliseconds, e.g. 50/50`);
  return { runningMs: Number(m[1]), stoppedMs: Number(m[2]) };
}

export function startStall(pid: number, runningMs: number, stoppedMs: number): Stall {
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

/** CPU a process has used so far, read from /proc (Linux), for benches that time other processes. */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

/** utime + stime of a process, seconds (/proc/<pid>/stat fields 14 and 15); NaN once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

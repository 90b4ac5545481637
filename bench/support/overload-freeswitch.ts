/**
 * bench/overload.bench.ts on a real FreeSWITCH: the e2e stack (test/support/freeswitch: the
 * project's freeswitch-conf/, the generated dialplan, the real `hotline serve` as a process) and
 * one sipp per rate offering calls to 12345 on the carrier profile at `-r rate` for the step.
 * Callers stream audio and hang up after 5 s (test/e2e/sipp/caller-abandons.xml); nobody answers
 * as an agent, so sessions pile up. Per rate: sipp's failed calls, the router's shed calls
 * (hotline_calls_shed_total), INVITE → 200 OK p50/p99 (sipp's response-time trace; a shed call's
 * 200 comes from the fallback, if it reaches a pool agent — none is registered here, so a shed
 * call counts as failed too), router and FreeSWITCH CPU from /proc, and the router alive.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FreeswitchInstall } from '../../test/support/freeswitch/detect.js';
import { freePort, freeUdpRange } from '../../test/support/freeswitch/ports.js';
import { startStack } from '../../test/support/freeswitch/stack.js';
import { percentile } from './child.js';

const CLOCK_TICKS = 100;

/** utime + stime of a process, seconds (/proc/<pid>/stat fields 14 and 15). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

function shedTotal(metrics: string): number {
  return metrics.split('\n').filter((l) => l.startsWith('hotline_calls_shed_total{')).reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
}

/** The last line of sipp's -trace_stat CSV: successful and failed calls so far. */
function sippCounts(dir: string): { ok: number; failed: number } {
  const file = readdirSync(dir).find((f) => f.endsWith('_.csv'));
  if (file === undefined) return { ok: NaN, failed: NaN };
  const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const head = (lines[0] ?? '').split(';');
  const last = (lines.at(-1) ?? '').split(';');
  const col = (name: string): number => Number(last[head.indexOf(name)]);
  return { ok: col('SuccessfulCall(C)'), failed: col('FailedCall(C)') };
}

/** Response times (ms) of the scenario's rtd="true" (INVITE → 200) from -trace_rtt. */
function sippRtts(dir: string): number[] {
  const file = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  if (file === undefined) return [];
  return readFileSync(join(dir, file), 'utf8').trim().split('\n').slice(1)
    .map((l) => Number(l.split(';')[1])).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
}

async function sippStep(bin: string, work: string, fsSipPort: number, rate: number, seconds: number): Promise<{ ok: number; failed: number; rtts: number[] }> {
  const dir = mkdtempSync(join(work, `overload-${rate}-`));
  const scenario = join(dir, 'caller-abandons.xml');
  writeFileSync(scenario, readFileSync(resolve('test/e2e/sipp/caller-abandons.xml'), 'utf8')
    .replace(/__HANGUP_AFTER_MS__/g, '5000').replace(/__BYE_TIMEOUT_MS__/g, '30000'));
  if (existsSync(resolve('test/fixtures/e2e/hum.wav'))) copyFileSync(resolve('test/fixtures/e2e/hum.wav'), join(dir, 'hum.wav'));
  const media = await freeUdpRange(2 * rate * seconds + 4);
  const args = [
    '-sf', scenario, '-s', '12345', `127.0.0.1:${fsSipPort}`, '-i', '127.0.0.1', '-p', String(await freePort()),
    '-mi', '127.0.0.1', '-mp', String(media.start), '-r', String(rate), '-m', String(rate * seconds), '-l', String(rate * 20),
    '-timeout', `${seconds + 60}s`, '-nostdin', '-trace_stat', '-fd', '1', '-trace_rtt', '-rtt_freq', '1',
  ];
  await new Promise<void>((resolveRun) => {
    const child = spawn(bin, args, { cwd: dir, stdio: 'ignore' });
    child.once('exit', () => resolveRun());
    child.once('error', () => resolveRun());
  });
  return { ...sippCounts(dir), rtts: sippRtts(dir) };
}

export async function runRealOverload(install: FreeswitchInstall, sipp: string, rates: readonly number[], seconds: number): Promise<void> {
  const stack = await startStack(install);
  try {
    const routerPid = stack.router.process.pid;
    const fsPid = stack.fs.process.pid;
    console.log(`overload, real FreeSWITCH (${install.bin}) + sipp, ${seconds} s per rate, callers hang up after 5 s, nobody answers:`);
    console.log(['call/s', 'offered', 'ok', 'failed', 'shed', 'p50 ms', 'p99 ms', 'rtr CPU%', 'FS CPU%', 'alive'].map((c) => c.padStart(9)).join(' '));
    for (const rate of rates) {
      const shed0 = shedTotal(await stack.router.getText('/metrics'));
      const r0 = cpuSeconds(routerPid);
      const f0 = cpuSeconds(fsPid);
      const t0 = performance.now();
      const step = await sippStep(sipp, stack.work, stack.fs.ports.carrierSip, rate, seconds);
      const wall = (performance.now() - t0) / 1000;
      const alive = stack.router.process.child.exitCode === null
        && await stack.router.get<{ status: string }>('/health').then((h) => h.status !== 'down', () => false);
      const shed = alive ? shedTotal(await stack.router.getText('/metrics')) - shed0 : NaN;
      const cells = [rate, rate * seconds, step.ok, step.failed, shed, percentile(step.rtts, 50), percentile(step.rtts, 99),
        ((cpuSeconds(routerPid) - r0) / wall) * 100, ((cpuSeconds(fsPid) - f0) / wall) * 100];
      console.log([...cells.map((c) => (Number.isInteger(c) ? String(c) : c.toFixed(1))), alive ? 'yes' : 'NO'].map((c) => c.padStart(9)).join(' '));
      if (!alive) {
        console.log(stack.router.logTail(4000));
        break;
      }
    }
  } finally {
    await stack.stop();
  }
}

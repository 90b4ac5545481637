/**
 * sipp as load for the FreeSWITCH bench: one UAS for all agents (each agent is a user part on
 * its port; sipp answers any number of calls at once) and one UAC per row placing `count` calls
 * at `rate`. Scenarios are the e2e ones (test/e2e/sipp), so callers and agents stream audio.
 * Each call gets RTP ports of its own (sipp binds a fresh pair per rtp_stream call from -mp up).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, freeUdpRange, releaseUdpRange } from '../../../test/support/freeswitch/ports.js';
import { spawnManaged, type Managed } from '../../../test/support/freeswitch/processes.js';
import { untilUdpBound } from '../../../test/support/udp-bound.js';

function scenarioDir(work: string, label: string, scenario: string, vars: Readonly<Record<string, number | string>>): { dir: string; file: string } {
  const dir = mkdtempSync(join(work, `sipp-${label}-`));
  const file = join(dir, scenario);
  const text = readFileSync(resolve('test/e2e/sipp', scenario), 'utf8').replace(/__([A-Z][A-Z_]*?)__/g, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`scenario placeholder ${m} has no value`);
    return String(v);
  });
  writeFileSync(file, text);
  copyFileSync(resolve('test/fixtures/e2e/hum.wav'), join(dir, 'hum.wav'));
  return { dir, file };
}

export interface AgentsUas {
  readonly port: number;
  stop(): Promise<void>;
}

/** The agents' phones: a UAS on `port` until stopped. */
export async function startAgentsUas(bin: string, work: string, port: number, scenario: string, vars: Readonly<Record<string, number | string>>, mediaPorts: number): Promise<AgentsUas> {
  const { dir, file } = scenarioDir(work, 'agents', scenario, vars);
  const media = await freeUdpRange(mediaPorts);
  const proc: Managed = spawnManaged(bin, ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-mi', '127.0.0.1', '-mp', String(media.start), '-nostdin'], { cwd: dir });
  await untilBound(port, proc);
  return { port, async stop() { await proc.stop(2_000); releaseUdpRange(media); } };
}

async function untilBound(port: number, proc: Managed): Promise<void> {
  const outcome = await untilUdpBound(port, () => proc.child.exitCode === null, 5_000);
  if (outcome === 'exited') throw new Error('agents sipp exited before listening');
  if (outcome === 'timeout') throw new Error(`agents sipp not listening on ${port}`);
}

export interface CallerLoad {
  readonly number: string;
  readonly fsPort: number;
  readonly rate: number;
  readonly count: number;
  readonly scenario: string;
  readonly vars: Readonly<Record<string, number | string>>;
  readonly timeoutSeconds: number;
  readonly label: string;
}

export interface CallerResult {
  readonly ok: number;
  readonly failed: number;
  /** The first of sipp's error lines, if any. */
  readonly errors?: readonly string[];
}

const SIPP_GRACE_SECONDS = 15;

/** Places the calls and resolves when sipp has finished them all (or given up). */
export async function runCallers(bin: string, work: string, load: CallerLoad): Promise<CallerResult> {
  const { dir, file } = scenarioDir(work, load.label, load.scenario, load.vars);
  const media = await freeUdpRange(Math.min(4_000, 2 * load.count + 4));
  const args = [
    '-sf', file, '-s', load.number, `127.0.0.1:${load.fsPort}`, '-i', '127.0.0.1', '-p', String(await freePort()),
    '-mi', '127.0.0.1', '-mp', String(media.start), '-r', String(load.rate), '-m', String(load.count), '-l', String(load.count),
    '-timeout', `${load.timeoutSeconds}s`, '-nostdin', '-trace_stat', '-stf', join(dir, 'stat.csv'), '-fd', '1',
    '-trace_err', '-error_file', join(dir, 'errors.log'),
  ];
  const proc = spawnManaged(bin, args, { cwd: dir });
  // sipp's own -timeout did not end a 40/s step whose calls FreeSWITCH had stopped answering (it
  // ran 425 s against its 95): past it, interrupt sipp as a person would (it writes its final
  // statistics on SIGINT), then stop it.
  const overrun = setTimeout(() => {
    console.log(`  sipp ${load.label}: still running ${load.timeoutSeconds + SIPP_GRACE_SECONDS} s in, past its -timeout; interrupted`);
    try { process.kill(proc.pid, 'SIGINT'); } catch { /* already gone */ }
    setTimeout(() => void proc.stop(5_000), 10_000).unref();
  }, (load.timeoutSeconds + SIPP_GRACE_SECONDS) * 1000);
  await proc.exited;
  clearTimeout(overrun);
  releaseUdpRange(media);
  return { ...statCounts(dir, load.count), errors: firstErrors(join(dir, 'errors.log')) };
}

/** sipp's own words for the first failures (unexpected message, timeout…), one line each. */
function firstErrors(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => /error|timeout|unexpected|aborting/i.test(l))
    .map((l) => l.replace(/^[\d.]+:\s*/, '').replace(/ for Call-Id '[^']*'/, '').slice(0, 160)).slice(0, 3);
}

function statCounts(dir: string, offered: number): CallerResult {
  const file = readdirSync(dir).find((f) => f === 'stat.csv');
  if (file === undefined) return { ok: 0, failed: offered };
  const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const head = (lines[0] ?? '').split(';');
  const last = (lines.at(-1) ?? '').split(';');
  const col = (name: string): number => Number(last[head.indexOf(name)]);
  const ok = col('SuccessfulCall(C)');
  // A call sipp never finished (its -timeout cut the run) is a failure too.
  return { ok, failed: Math.max(col('FailedCall(C)'), offered - ok) };
}

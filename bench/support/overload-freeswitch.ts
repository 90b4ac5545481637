/**
 * bench/overload.bench.ts on a real FreeSWITCH: the e2e stack (test/support/freeswitch: the
 * project's freeswitch-conf/, the generated dialplan, the real `hotline serve` as a process) and
 * one sipp per rate offering calls to 12345 on the carrier profile at `-r rate` for the step.
 * Callers stream audio and hang up after 5 s (test/e2e/sipp/caller-abandons.xml). No 12345 agent
 * is ready, so accepted callers wait on hold and sessions pile up; the 7×24 pool's agent (1002) is
 * a sipp UAS that answers every call the dialplan's fallback rings it with — which is where a
 * shed call must go. Per rate: sipp's answered and failed calls, the router's shed calls
 * (hotline_calls_shed_total) against the fallbacks FreeSWITCH logged and the calls the pool's
 * phone answered, INVITE → 200 OK p50/p99 (sipp's response-time trace: the router's answer, or
 * the fallback's for a shed call), FreeSWITCH's peak sessions, router and FreeSWITCH CPU from
 * /proc, the worst /health status seen, and the router alive at the end of the step.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFreeswitchStatus } from '../../src/adapters/esl/freeswitch-load.js';
import type { FreeswitchInstall } from '../../test/support/freeswitch/detect.js';
import { freePort, freeUdpRange } from '../../test/support/freeswitch/ports.js';
import { spawnManaged, type Managed } from '../../test/support/freeswitch/processes.js';
import { startStack, type Stack } from '../../test/support/freeswitch/stack.js';
import { loadAverage, percentile, sleep } from './child.js';
import { cpuSeconds } from './proc-cpu.js';

const HANGUP_AFTER_MS = 5000;
// Past the router's stranded-caller sweep (45 s old, every 15 s): a stranded caller still waits when it is rescued.
const ANSWER_TIMEOUT_MS = 90_000;
const HUM = resolve('test/fixtures/e2e/hum.wav');
/** The fallback's own log line (the dialplan's EXECUTE and Action lines quote it too). */
const FALLBACK_LINE = /\[WARNING\] mod_dptools\.c:\d+ hotline router unreachable: .* goes to the 7x24 fallback$/gm;

export interface RealOverloadOptions {
  readonly rates: readonly number[];
  readonly seconds: number;
  /** Router environment: the SHED_* marks under test. */
  readonly routerEnv?: Readonly<Record<string, string>>;
  readonly label: string;
}

/** Calls the router handed back to the dialplan: shed, or released after a failed command. */
function released(metrics: string): number {
  return [...metrics.matchAll(/^hotline_calls_total\{[^}]*outcome="released"[^}]*\} (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

function rescued(metrics: string): number {
  return Number(/^hotline_stranded_callers_rescued_total (\S+)$/m.exec(metrics)?.[1] ?? NaN);
}

/** hotline_calls_shed_total by reason. */
function shedByReason(metrics: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of metrics.matchAll(/^hotline_calls_shed_total\{reason="([^"]+)"\} (\S+)$/gm)) out.set(m[1] ?? '?', Number(m[2]));
  return out;
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

/** Why sipp's failed calls failed: the unexpected messages in its error log, counted by status line. */
function sippFailures(dir: string): string {
  const file = readdirSync(dir).find((f) => f.endsWith('_errors.log'));
  if (file === undefined) return '';
  const counts = new Map<string, number>();
  for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/^SIP\/2\.0 (\d{3} [^\r\n]*)/gm)) {
    const k = m[1] ?? '?';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, v]) => `${v}× ${k}`).join(', ');
}

async function sippStep(bin: string, work: string, fsSipPort: number, rate: number, seconds: number): Promise<{ ok: number; rtts: number[]; why: string }> {
  const dir = mkdtempSync(join(work, `overload-${rate}-`));
  const scenario = join(dir, 'caller-abandons.xml');
  // A caller who hears nothing for ANSWER_TIMEOUT_MS gives up: counted failed (a stranded call
  // would otherwise keep sipp, and the step, waiting for good).
  writeFileSync(scenario, readFileSync(resolve('test/e2e/sipp/caller-abandons.xml'), 'utf8')
    .replace(/__HANGUP_AFTER_MS__/g, String(HANGUP_AFTER_MS)).replace(/__BYE_TIMEOUT_MS__/g, '30000')
    .replace('<recv response="200" rtd="true"/>', `<recv response="200" rtd="true" timeout="${ANSWER_TIMEOUT_MS}"/>`));
  copyFileSync(HUM, join(dir, 'hum.wav'));
  const media = await freeUdpRange(2 * rate * seconds + 4);
  const args = [
    '-sf', scenario, '-s', '12345', `127.0.0.1:${fsSipPort}`, '-i', '127.0.0.1', '-p', String(await freePort()),
    '-mi', '127.0.0.1', '-mp', String(media.start),
    '-r', String(rate), '-m', String(rate * seconds), '-l', String(rate * 20),
    '-timeout', `${seconds + 60}s`, '-nostdin', '-trace_stat', '-fd', '1', '-trace_rtt', '-rtt_freq', '1', '-trace_err',
  ];
  const proc = spawnManaged(bin, args, { cwd: dir });
  const bound = setTimeout(() => void proc.kill(), (seconds + 2 * ANSWER_TIMEOUT_MS / 1000 + 60) * 1000);
  await proc.exited;
  clearTimeout(bound);
  return { ok: sippCounts(dir).ok, rtts: sippRtts(dir), why: sippFailures(dir) };
}

/** The 7×24 pool's phone: answers every call rung at its port and talks until the caller's BYE. */
async function poolPhone(bin: string, stack: Stack): Promise<{ proc: Managed; answered: () => number }> {
  const dir = mkdtempSync(join(stack.work, 'pool-phone-'));
  const scenario = join(dir, 'agent-waits-for-bye.xml');
  writeFileSync(scenario, readFileSync(resolve('test/e2e/sipp/agent-waits-for-bye.xml'), 'utf8').replace(/__BYE_TIMEOUT_MS__/g, '60000'));
  copyFileSync(HUM, join(dir, 'hum.wav'));
  const media = await freeUdpRange(1000);
  const proc = spawnManaged(bin, [
    '-sf', scenario, '-i', '127.0.0.1', '-p', String(stack.agentPorts['1002']), '-mi', '127.0.0.1', '-mp', String(media.start),
    '-nostdin', '-trace_stat', '-fd', '1',
  ], { cwd: dir });
  // sipp's stat file counts calls it has answered and seen through (SuccessfulCall) so far.
  return { proc, answered: () => sippCounts(dir).ok };
}

/**
 * Callers FreeSWITCH still holds in the `socket` application once every caller has hung up or
 * given up: a socket whose listener ended before the session parked (mod_event_socket.c: the
 * handshake not done within 25 s) parks the caller for good, ringing, with nobody in control.
 */
async function strandedInSocket(stack: Stack): Promise<string[]> {
  const list = await stack.fs.api('show channels as json').catch(() => '{}');
  const rows = (JSON.parse(list) as { rows?: { uuid: string; application: string; callstate: string }[] }).rows ?? [];
  return rows.filter((r) => r.application === 'socket').map((r) => r.uuid);
}

/** Lines matching `pattern` in a file from byte `from` on, and where it ends. */
function countFrom(file: string, from: number, pattern: RegExp): { count: number; end: number } {
  const end = statSync(file).size;
  const text = readFileSync(file).subarray(from, end).toString('utf8');
  return { count: [...text.matchAll(pattern)].length, end };
}

const STATUS_RANK = { ok: 0, degraded: 1, down: 2 } as Record<string, number>;

export async function runRealOverload(install: FreeswitchInstall, sipp: string, o: RealOverloadOptions): Promise<boolean> {
  // FreeSWITCH, the router and sipp run in their own process groups: an interrupted bench must
  // still take them down (test/support/freeswitch/processes.ts does on 'exit').
  const interrupted = (): never => process.exit(130);
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  // The router logs at info as in production (the e2e suites' debug log is a cost no node pays).
  const stack = await startStack(install, { rtpPorts: 1500, routerEnv: { LOG_LEVEL: 'info', ...o.routerEnv } });
  const pool = await poolPhone(sipp, stack);
  let allAlive = true;
  try {
    const routerPid = stack.router.process.pid;
    const fsPid = stack.fs.process.pid;
    const fsLog = join(stack.work, 'log', 'freeswitch.log');
    const status = parseFreeswitchStatus(await stack.fs.api('status'));
    console.log(`overload, real FreeSWITCH + sipp, ${o.label}: max-sessions ${status?.maxSessions ?? '?'}, sessions-per-second ${status?.sessionsPerSecondMax ?? '?'}, ` +
      `${o.seconds} s per rate, callers hang up after ${HANGUP_AFTER_MS / 1000} s, no 12345 agent ready, the pool's phone answers the fallback:`);
    console.log(['call/s', 'offered', 'answered', 'failed', 'shed', 'rel err', 'fallback', 'pool ans', 'rescued', 'stranded', 'p50 ms', 'p99 ms', 'FS sess', 'rtr CPU%', 'FS CPU%', 'health', 'alive', 'load', ' shed by reason']
      .map((c) => c.padStart(9)).join(' '));
    let logAt = statSync(fsLog).size;
    for (const rate of o.rates) {
      const metrics0 = await stack.router.getText('/metrics');
      const shed0 = shedByReason(metrics0);
      const released0 = released(metrics0);
      const rescued0 = rescued(metrics0);
      const pool0 = pool.answered();
      const r0 = cpuSeconds(routerPid);
      const f0 = cpuSeconds(fsPid);
      const t0 = performance.now();
      let peakSessions = 0;
      let worstHealth = 'ok';
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const s = parseFreeswitchStatus(await stack.fs.api('status').catch(() => ''));
          if (s !== undefined) peakSessions = Math.max(peakSessions, s.sessions);
          const h = await stack.router.get<{ status: string }>('/health').then((b) => b.status, () => 'no answer');
          if ((STATUS_RANK[h] ?? 3) > (STATUS_RANK[worstHealth] ?? 3)) worstHealth = h;
          await sleep(250);
        }
      })();
      const step = await sippStep(sipp, stack.work, stack.fs.ports.carrierSip, rate, o.seconds);
      sampling = false;
      await sampler;
      const stranded = await strandedInSocket(stack);
      // Counted, then hung up: the next rate starts from an empty FreeSWITCH.
      for (const uuid of stranded) await stack.fs.api(`uuid_kill ${uuid}`).catch(() => '');
      await sleep(1200); // the pool phone's stat file is written once a second
      const wall = (performance.now() - t0) / 1000;
      // Alive: the process has not exited and answers /health (an unhandled rejection would have ended it).
      const alive = stack.router.process.child.exitCode === null
        && await stack.router.get<{ status: string }>('/health').then((h) => h.status !== 'down', () => false);
      const metrics1 = alive ? await stack.router.getText('/metrics') : '';
      const shed1 = shedByReason(metrics1);
      const byReason = [...shed1].map(([k, v]) => [k, v - (shed0.get(k) ?? 0)] as const).filter(([, v]) => v > 0);
      const shed = alive ? byReason.reduce((n, [, v]) => n + v, 0) : NaN;
      const fallback = countFrom(fsLog, logAt, FALLBACK_LINE);
      logAt = fallback.end;
      const releasedOnError = alive ? released(metrics1) - released0 - shed : NaN;
      // sipp's stat file is not rewritten at its exit: every offered call not seen through failed.
      const failed = rate * o.seconds - step.ok;
      const cells = [rate, rate * o.seconds, step.ok, failed, shed, releasedOnError, fallback.count, pool.answered() - pool0,
        rescued(metrics1) - rescued0, stranded.length, percentile(step.rtts, 50), percentile(step.rtts, 99), peakSessions,
        ((cpuSeconds(routerPid) - r0) / wall) * 100, ((cpuSeconds(fsPid) - f0) / wall) * 100];
      console.log([...cells.map((c) => (Number.isInteger(c) ? String(c) : c.toFixed(1))), worstHealth, alive ? 'yes' : 'NO', loadAverage().split(' ')[0] ?? '?']
        .map((c) => c.padStart(9)).join(' ') + `  ${byReason.map(([k, v]) => `${k} ${v}`).join(', ') || '–'}`);
      if (step.why !== '') console.log(`         failed: ${step.why}`);
      if (!alive) {
        allAlive = false;
        console.log(stack.router.logTail(4000));
        break;
      }
    }
    console.log('  answered: sipp got 200 and its BYE was answered; shed: the router\'s hotline_calls_shed_total; rel err: calls it released');
    console.log('  after a command failed (e.g. no reply to answer within 10 s); fallback: FreeSWITCH\'s "router unreachable … 7x24 fallback"');
    console.log('  lines (shed + rel err when every call the router lets go reaches it); pool ans: calls the pool\'s phone answered and saw');
    console.log('  through; rescued: callers left ringing in the socket application with no router that the router\'s sweep handed to');
    console.log('  the fallback (hotline_stranded_callers_rescued_total; fallback = shed + rel err + rescued + failed handshakes);');
    console.log('  stranded: callers FreeSWITCH still held in the socket application after the step (never answered; hung up by the');
    console.log(`  bench); failed: offered − answered (no answer within ${ANSWER_TIMEOUT_MS / 1000} s, or an error); p50/p99: INVITE → 200 OK at sipp; FS sess: peak of`);
    console.log('  `status` every 250 ms; load: 1-min load average at the end.');
  } finally {
    await pool.proc.stop(2_000);
    await stack.stop();
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
  }
  return allAlive;
}

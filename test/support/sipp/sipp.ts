/**
 * sipp as a child process: one scenario, one call (-m 1), bounded three ways — sipp's own
 * -timeout, each scenario's recv timeouts, and a kill timer here — so a stuck call fails the
 * test instead of hanging the run. Scenarios live in test/e2e/sipp/ with __NAME__ placeholders
 * filled in per run; each run gets its own SIP and media ports.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, freeUdpRange } from '../freeswitch/ports.js';
import { spawnManaged, type Managed } from '../freeswitch/processes.js';
import { untilUdpBound } from '../udp-bound.js';

export const SCENARIO_DIR = resolve('test/e2e/sipp');
const HUM = resolve('test/fixtures/e2e/hum.wav');

export interface SippRun {
  /** File name in test/e2e/sipp/. */
  readonly scenario: string;
  /** Values for the scenario's __NAME__ placeholders. */
  readonly vars?: Readonly<Record<string, string | number>>;
  /** UAC: number to dial and where (FreeSWITCH's carrier profile). Omit for a UAS. */
  readonly dial?: { readonly number: string; readonly host: string; readonly port: number };
  /** UAS: listen on this SIP port (the agent's dial string). */
  readonly port?: number;
  /** The address sipp sends from (default 127.0.0.1; any of 127.0.0.0/8 is this host too). */
  readonly localIp?: string;
  /**
   * Calls before sipp exits: 1 unless set; 'scenario' leaves the stop to the scenario (a UAS that
   * also answers keep-alives, each of which sipp counts as a call).
   */
  readonly calls?: number | 'scenario';
  /** Hard limit for the whole run; sipp is SIGKILLed after it. */
  readonly limitMs: number;
  readonly work: string;
  readonly label: string;
}

export interface SippResult {
  readonly label: string;
  /** 0: every call succeeded; 1: a call failed; others: sipp's fatal codes; null: killed. */
  readonly code: number | null;
  readonly killed: boolean;
  /** ms from start to exit. */
  readonly elapsedMs: number;
  /** Wall-clock time of exit (Date.now()). */
  readonly exitedAt: number;
  /** The tail of sipp's output and error log, for failure messages. */
  readonly log: string;
}

export interface SippHandle {
  readonly label: string;
  readonly process: Managed;
  readonly done: Promise<SippResult>;
  /** The RTP port sipp offers in its SDP (-mp). */
  readonly mediaPort: number;
  /** Whether sipp is still running. */
  readonly running: boolean;
  kill(): Promise<SippResult>;
}

function fill(text: string, vars: Readonly<Record<string, string | number>>): string {
  const out = text.replace(/__([A-Z][A-Z_]*?)__/g, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`scenario placeholder ${m} has no value`);
    return String(v);
  });
  return out;
}

export async function startSipp(bin: string, run: SippRun): Promise<SippHandle> {
  const dir = mkdtempSync(join(run.work, `sipp-${run.label}-`));
  const scenario = join(dir, run.scenario);
  const defaults = { BYE_TIMEOUT_MS: run.limitMs };
  writeFileSync(scenario, fill(readFileSync(join(SCENARIO_DIR, run.scenario), 'utf8'), { ...defaults, ...run.vars }));
  // rtp_stream paths are relative to sipp's working directory.
  copyFileSync(HUM, join(dir, 'hum.wav'));
  const sipPort = run.port ?? await freePort();
  const media = await freeUdpRange(4);
  const args = [
    '-sf', scenario, '-i', run.localIp ?? '127.0.0.1', '-p', String(sipPort), '-mi', run.localIp ?? '127.0.0.1', '-mp', String(media.start),
    ...(run.calls === 'scenario' ? [] : ['-m', String(run.calls ?? 1)]), '-timeout', `${Math.ceil(run.limitMs / 1000)}s`, '-timeout_error', '-nostdin',
    '-trace_err', '-error_file', join(dir, 'errors.log'), '-trace_screen', '-screen_file', join(dir, 'screen.log'),
  ];
  if (run.dial) args.push('-s', run.dial.number, `${run.dial.host}:${run.dial.port}`);
  const started = Date.now();
  const proc = spawnManaged(bin, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4_000); });
  let killed = false;
  const timer = setTimeout(() => { killed = true; void proc.kill(); }, run.limitMs + 5_000);
  const read = (f: string): string => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8').slice(-3_000) : '');
  const done = proc.exited.then((code): SippResult => {
    clearTimeout(timer);
    const log = [`sipp ${run.label} (${run.scenario}) exit ${String(code)}${killed ? ' (killed)' : ''}`, stderr, read('errors.log'), read('screen.log')]
      .filter((s) => s !== '').join('\n');
    return { label: run.label, code, killed, elapsedMs: Date.now() - started, exitedAt: Date.now(), log };
  });
  let running = true;
  void done.then(() => { running = false; });
  return {
    label: run.label, process: proc, done, mediaPort: media.start,
    get running() { return running; },
    async kill() { killed = true; await proc.kill(); return done; },
  };
}

/** Resolves once the UAS has bound its SIP port (so an INVITE sent now reaches it). Looked up, never probed by binding (../udp-bound.ts). */
export async function untilListening(handle: SippHandle, port: number, timeoutMs = 5_000): Promise<void> {
  const outcome = await untilUdpBound(port, () => handle.running, timeoutMs);
  if (outcome === 'exited') throw new Error(`sipp ${handle.label} exited before listening on ${port}:\n${(await handle.done).log}`);
  if (outcome === 'timeout') throw new Error(`sipp ${handle.label} not listening on ${port} after ${timeoutMs} ms`);
}

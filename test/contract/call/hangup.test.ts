/**
 * A caller hanging up at any step of the call machine never takes the router down (issue 15):
 * every scenario of hangup-scenarios.ts runs in one child process under
 * `--unhandled-rejections=strict`, so a single unobserved rejection ends it early.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, type ScenarioResult } from './hangup-scenarios.js';

const CHILD = fileURLToPath(new URL('./hangup-child.ts', import.meta.url));

interface ChildRun {
  code: number | null;
  results: Map<string, ScenarioResult>;
  started: string[];
  alive: boolean;
  stderr: string;
}

function runChild(): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--unhandled-rejections=strict', '--import', 'tsx', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const run: ChildRun = { code, results: new Map(), started: [], alive: false, stderr };
      for (const line of out.split('\n').filter((l) => l.trim() !== '')) {
        const msg = JSON.parse(line) as { start?: string; result?: ScenarioResult; alive?: boolean };
        if (msg.start !== undefined) run.started.push(msg.start);
        if (msg.result !== undefined) run.results.set(msg.result.name, msg.result);
        if (msg.alive === true) run.alive = true;
      }
      resolve(run);
    });
  });
}

describe('the caller hangs up at every step, router under --unhandled-rejections=strict', () => {
  let run: ChildRun;
  beforeAll(async () => { run = await runChild(); }, 120_000);

  it('the router process lives through every scenario', () => {
    const crashedIn = run.alive ? undefined : run.started.at(-1);
    expect({ crashedIn, code: run.code, stderr: run.alive ? '' : run.stderr.slice(0, 2000) }).toEqual({ crashedIn: undefined, code: 0, stderr: '' });
    expect(run.results.size).toBe(SCENARIOS.length);
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: session ended, one record, ACD told, nothing left pending', (name, sc) => {
    const r = run.results.get(name);
    expect(r, 'the scenario ran to its end').toBeDefined();
    if (r === undefined) return;
    expect(r.error).toBeUndefined();
    expect(r.ended).toBe(true);
    const cause = sc.timing === 'drop' ? 'UNKNOWN' : 'NORMAL_CLEARING';
    expect(r.records).toEqual([{ outcome: sc.expect.outcome, hangupCause: cause, ...(sc.expect.survey !== undefined ? { survey: sc.expect.survey } : {}) }]);
    expect(r.acd).toEqual(sc.expect.acd);
    expect({ waitingAtEnd: r.waitingAtEnd, pendingAfterClose: r.pendingAfterClose, sessionsLeft: r.sessionsLeft, channelsLeft: r.channelsLeft })
      .toEqual({ waitingAtEnd: 0, pendingAfterClose: 0, sessionsLeft: 0, channelsLeft: 0 });
  });
});

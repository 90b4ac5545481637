/**
 * The bench's rows, each run for one system on the shared world: connect time with idle agents,
 * freed-agent time with a queue, one rate step (talk 5 s), and the CPU read around a step.
 */
import { join } from 'node:path';
import { connectedCallers, connectTimes, freedTimes, callerInvites, type WirePorts } from '../fs-wire/latency.js';
import type { SipMessage } from '../fs-wire/sip.js';
import { sipMessages, startCapture } from './capture.js';
import { BASELINE_NUMBER, CALLCENTER_NUMBER, ROUTER_NUMBER } from './conf.js';
import { runCallers, startAgentsUas } from './sipp-load.js';
import type { AcdSystem, BenchWorld } from './world.js';
import { sleep } from '../child.js';
import { cpuSeconds } from '../proc-cpu.js';
import { startStall, type StallSpec } from './stall.js';
import { pidAtRest, type RestOutcome } from './at-rest.js';

export type System = AcdSystem | 'baseline';
export const NUMBER: Readonly<Record<System, string>> = { router: ROUTER_NUMBER, callcenter: CALLCENTER_NUMBER, baseline: BASELINE_NUMBER };

function ports(world: BenchWorld): WirePorts {
  return { carrier: world.fs.ports.carrierSip, agents: world.fs.ports.agentsSip };
}

async function captured<T>(world: BenchWorld, name: string, body: () => Promise<T>): Promise<{ result: T; sip: SipMessage[] }> {
  const cap = await startCapture(join(world.work, `${name}.pcap`), [world.fs.ports.carrierSip, world.fs.ports.agentsSip]);
  try {
    const result = await body();
    await sleep(300);
    return { result, sip: sipMessages(await cap.stop()) };
  } catch (err) {
    await cap.stop().catch(() => undefined);
    throw err;
  }
}

/** Waits until FreeSWITCH has no channel left (the step's calls have all been torn down). */
export async function untilIdle(world: { readonly fs: Pick<BenchWorld['fs'], 'api'> }, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const count = /(\d+) total/.exec(await world.fs.api('show channels count'))?.[1];
    if (count === '0') return;
    await sleep(200);
  }
}

export interface ConnectRow { readonly ms: number[]; readonly unconnected: number; readonly failed: number }

/** Row 1: `agents` idle agents, callers at `rate` who hang up after 2 s. */
export async function connectRow(world: BenchWorld, sipp: string, system: AcdSystem, agents: number, rate: number, calls: number): Promise<ConnectRow> {
  await world.available(system, agents);
  const uas = await startAgentsUas(sipp, world.work, world.agentPort, 'agent-waits-for-bye.xml', { BYE_TIMEOUT_MS: 60_000 }, 4 * agents + 8);
  try {
    const { result, sip } = await captured(world, `connect-${system}`, () => runCallers(sipp, world.work, {
      number: NUMBER[system], fsPort: world.fs.ports.carrierSip, rate, count: calls, scenario: 'caller-abandons.xml',
      vars: { HANGUP_AFTER_MS: 2_000, BYE_TIMEOUT_MS: 30_000 }, timeoutSeconds: Math.ceil(calls / rate) + 60, label: `connect-${system}`,
    }));
    await untilIdle(world);
    return { ...connectTimes(sip, ports(world)), failed: result.failed };
  } finally {
    await uas.stop();
  }
}

/** Row 2: `agents` agents who talk `talkMs` and hang up; `calls` callers arrive at once and queue. */
export async function freedRow(world: BenchWorld, sipp: string, system: AcdSystem, agents: number, calls: number, talkMs: number): Promise<{ ms: number[]; failed: number }> {
  await world.available(system, agents);
  const uas = await startAgentsUas(sipp, world.work, world.agentPort, 'agent-answers-talks-hangs-up.xml', { TALK_MS: talkMs }, 4 * calls + 8);
  try {
    const { result, sip } = await captured(world, `freed-${system}`, () => runCallers(sipp, world.work, {
      number: NUMBER[system], fsPort: world.fs.ports.carrierSip, rate: 50, count: calls, scenario: 'caller-waits-for-bye.xml',
      vars: { BYE_TIMEOUT_MS: 180_000 }, timeoutSeconds: 240, label: `freed-${system}`,
    }));
    await untilIdle(world);
    return { ms: freedTimes(sip, ports(world)), failed: result.failed };
  } finally {
    await uas.stop();
  }
}

export interface StepRow {
  readonly rate: number;
  readonly offered: number;
  readonly failed: number;
  /** Of which: sipp's failed calls, and callers FreeSWITCH never offered to an agent. */
  readonly sippFailed: number;
  readonly neverOffered: number;
  readonly errors: readonly string[];
  readonly fsCpuPer1000: number;
  readonly routerCpuPer1000: number;
  readonly wallSeconds: number;
  /** How FreeSWITCH came to rest before the step's CPU was read. */
  readonly rest: RestOutcome;
}

/**
 * Row 3/4: one rate step, callers talk `talkSeconds` then hang up (baseline: FreeSWITCH plays
 * `talkSeconds` and hangs up). Failed: sipp's failed calls, or (ACDs) a caller never offered to
 * an agent. CPU from /proc around the whole step, teardown included, read from FreeSWITCH at rest.
 */
export async function stepRow(
  world: BenchWorld, sipp: string, system: System, rate: number, seconds: number, talkSeconds: number, agentPool: number,
  stalls: { readonly freeswitch?: StallSpec | undefined; readonly router?: StallSpec | undefined } = {},
): Promise<StepRow> {
  const uas = system === 'baseline' ? undefined
    : await startAgentsUas(sipp, world.work, world.agentPort, 'agent-waits-for-bye.xml', { BYE_TIMEOUT_MS: 120_000 }, 4 * agentPool + 8);
  try {
    const fsPid = world.fs.process.pid;
    const routerPid = world.router.process.pid;
    const rest = await pidAtRest(fsPid);
    const fs0 = cpuSeconds(fsPid);
    const r0 = cpuSeconds(routerPid);
    const t0 = performance.now();
    const offered = rate * seconds;
    const stalling = [
      stalls.freeswitch === undefined ? undefined : startStall(fsPid, stalls.freeswitch),
      stalls.router === undefined || system !== 'router' ? undefined : startStall(routerPid, stalls.router),
    ];
    let calls;
    try {
      calls = await captured(world, `step-${system}-${rate}`, () => runCallers(sipp, world.work, {
        number: NUMBER[system], fsPort: world.fs.ports.carrierSip, rate, count: offered,
        scenario: system === 'baseline' ? 'caller-waits-for-bye.xml' : 'caller-abandons.xml',
        vars: system === 'baseline' ? { BYE_TIMEOUT_MS: (talkSeconds + 30) * 1000 } : { HANGUP_AFTER_MS: talkSeconds * 1000, BYE_TIMEOUT_MS: 30_000 },
        timeoutSeconds: seconds + talkSeconds + 60, label: `step-${system}-${rate}`,
      }));
    } finally {
      for (const s of stalling) s?.stop();
    }
    const { result, sip } = calls;
    await untilIdle(world);
    const wallSeconds = (performance.now() - t0) / 1000;
    const fsCpu = cpuSeconds(fsPid) - fs0;
    const routerCpu = cpuSeconds(routerPid) - r0;
    let missed = 0;
    if (system !== 'baseline') {
      const reached = connectedCallers(sip, ports(world));
      missed = callerInvites(sip, ports(world)).filter((m) => !reached.has(m.fromUser)).length;
    }
    return {
      rate, offered, failed: Math.max(result.failed, missed), sippFailed: result.failed, neverOffered: missed, errors: result.errors ?? [], fsCpuPer1000: (fsCpu / offered) * 1000, routerCpuPer1000: (routerCpu / offered) * 1000, wallSeconds, rest,
    };
  } finally {
    await uas?.stop();
  }
}

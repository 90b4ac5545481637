/**
 * Calls per second through the SIP edge + FreeSWITCH against FreeSWITCH direct, in one run on one
 * FreeSWITCH (issue target: edge ≥ 0.9× direct, 0 failed calls). sipp callers stream audio and
 * wait for FreeSWITCH's BYE after `TALK_SECONDS` of tone (./support/edge-world.ts). Rates step up;
 * at each rate the direct path and the edge path run one after the other, so both see the same
 * machine; a path stops at its first rate with a failed call. Per step: failed calls, and CPU per
 * 1,000 calls of FreeSWITCH, drachtio-server and the edge process (/proc, around the step,
 * teardown included). The edge's decision time per INVITE is bench/edge-decision.bench.ts.
 *
 * Run: npm run bench -- edge-throughput (a few minutes). EDGE_BENCH_RATES=10,20,40,60,80,100,
 * EDGE_BENCH_STEP_SECONDS=10. Skipped, with the reason, without FreeSWITCH, drachtio-server, sipp
 * or a built router.
 */
import { existsSync } from 'node:fs';
import { drachtioBin } from '../test/support/drachtio.js';
import { detectFreeswitch, sippBin } from '../test/support/freeswitch/detect.js';
import { loadAverage } from './support/child.js';
import { startEdgeWorld, EDGE_BENCH_LINE, type EdgeWorld } from './support/edge-world.js';
import { untilIdle } from './support/fs-bench/rows.js';
import { runCallers } from './support/fs-bench/sipp-load.js';
import { cpuSeconds } from './support/proc-cpu.js';

const env = process.env;
const RATES = (env.EDGE_BENCH_RATES ?? '10,20,40,60,80,100').split(',').map(Number);
const STEP_SECONDS = Number(env.EDGE_BENCH_STEP_SECONDS ?? '10');
const TALK_SECONDS = 5;

type Path = 'direct' | 'edge';

interface Step {
  readonly rate: number;
  readonly offered: number;
  readonly failed: number;
  /** Edge path: calls the node answered through the edge (its hotline_edge_connected_total). */
  readonly connected: number;
  /** Edge path: INVITEs the edge refused itself, by reason (hotline_edge_refused_total). */
  readonly refused: string;
  readonly errors: readonly string[];
  /** CPU seconds per 1,000 calls */
  readonly fs: number;
  readonly drachtio: number;
  readonly edge: number;
}

const f1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');

function skipReason(): string | undefined {
  if (detectFreeswitch() === undefined) return 'FreeSWITCH not installed (set FREESWITCH_BIN)';
  if (drachtioBin() === undefined) return 'drachtio-server not installed (set DRACHTIO_BIN)';
  if (sippBin() === undefined) return 'sipp not installed (apt-get install sip-tester, or set SIPP_BIN)';
  if (!existsSync('dist/cli.js')) return 'router not built (npm run build)';
  return undefined;
}

async function step(world: EdgeWorld, sipp: string, path: Path, rate: number): Promise<Step> {
  const pids = { fs: world.fs.process.pid, drachtio: world.drachtio.process.pid, edge: world.edge.pid };
  const before = { fs: cpuSeconds(pids.fs), drachtio: cpuSeconds(pids.drachtio), edge: cpuSeconds(pids.edge) };
  const offered = rate * STEP_SECONDS;
  const connected0 = (await world.edgeCounter('hotline_edge_connected_total')).sum;
  const refused0 = (await world.edgeCounter('hotline_edge_refused_total')).byLabels;
  const result = await runCallers(sipp, world.work, {
    number: EDGE_BENCH_LINE, fsPort: path === 'direct' ? world.fs.ports.carrierSip : world.drachtio.sipPort,
    rate, count: offered, scenario: 'caller-waits-for-bye.xml', vars: { BYE_TIMEOUT_MS: (TALK_SECONDS + 30) * 1000 },
    timeoutSeconds: STEP_SECONDS + TALK_SECONDS + 60, label: `${path}-${rate}`,
  });
  await untilIdle(world, 60_000);
  const per1000 = (k: keyof typeof pids): number => ((cpuSeconds(pids[k]) - before[k]) / offered) * 1000;
  const connected = (await world.edgeCounter('hotline_edge_connected_total')).sum - connected0;
  const refusedNow = (await world.edgeCounter('hotline_edge_refused_total')).byLabels;
  const refused = [...refusedNow].map(([labels, n]) => [labels, n - (refused0.get(labels) ?? 0)] as const).filter(([, n]) => n > 0)
    .map(([labels, n]) => `${n} ${labels}`).join(', ');
  // Through the edge, a call sipp counted but the edge did not connect went some other way: failed.
  const failed = path === 'edge' ? Math.max(result.failed, offered - connected) : result.failed;
  return { rate, offered, failed, connected, refused, errors: result.errors ?? [], fs: per1000('fs'), drachtio: per1000('drachtio'), edge: per1000('edge') };
}

async function main(): Promise<void> {
  const reason = skipReason();
  const install = detectFreeswitch();
  const drachtio = drachtioBin();
  const sipp = sippBin();
  if (reason !== undefined || install === undefined || drachtio === undefined || sipp === undefined) {
    console.log(`edge-throughput: skipped: ${reason ?? 'unknown'}`);
    return;
  }
  const maxSessions = Math.max(...RATES) * (TALK_SECONDS + 3) + 50;
  const world = await startEdgeWorld(install, drachtio, TALK_SECONDS, maxSessions);
  const steps: Record<Path, Step[]> = { direct: [], edge: [] };
  const open = new Set<Path>(['direct', 'edge']);
  try {
    console.log(`FreeSWITCH ${install.bin}, drachtio-server ${drachtio}; talk ${TALK_SECONDS} s, steps of ${STEP_SECONDS} s; load average ${loadAverage()}`);
    for (const rate of RATES) {
      for (const path of ['direct', 'edge'] as const) {
        if (!open.has(path)) continue;
        const s = await step(world, sipp, path, rate);
        steps[path].push(s);
        const cpu = path === 'edge' ? `, drachtio ${f1(s.drachtio)}, edge ${f1(s.edge)}` : '';
        // The edge's own count says the calls went through it (direct: it must not have seen them).
        const through = `connected through the edge ${s.connected}${s.refused === '' ? '' : `, refused by the edge ${s.refused}`}`;
        console.log(`${path.padEnd(6)} ${String(rate).padStart(3)}/s offered ${s.offered} failed ${s.failed}, ${through}; CPU s/1000 calls: FreeSWITCH ${f1(s.fs)}${cpu}; load ${loadAverage()}`);
        for (const e of s.errors) console.log(`    sipp: ${e}`);
        if (s.failed > 0) open.delete(path);
      }
      if (open.size === 0) break;
    }
    const maxRate = (p: Path): number => Math.max(0, ...steps[p].filter((s) => s.failed === 0).map((s) => s.rate));
    const [direct, edge] = [maxRate('direct'), maxRate('edge')];
    const capped = open.size > 0 ? ` (still 0 failed at ${RATES.at(-1) ?? 0}/s: ${[...open].join(', ')}; raise EDGE_BENCH_RATES to find the limit)` : '';
    console.log(`\nmax calls/s with 0 failed: direct ${direct}, through the edge ${edge}, edge/direct ${direct === 0 ? '–' : (edge / direct).toFixed(2)}×${capped}`);
    const first = (p: Path): Step | undefined => steps[p][0];
    console.log(`CPU s/1000 calls at ${RATES[0] ?? 0}/s: FreeSWITCH direct ${f1(first('direct')?.fs ?? NaN)}, via the edge ${f1(first('edge')?.fs ?? NaN)}; drachtio-server ${f1(first('edge')?.drachtio ?? NaN)}, edge ${f1(first('edge')?.edge ?? NaN)}; load average ${loadAverage()}`);
  } finally {
    await world.stop();
  }
}

await main();

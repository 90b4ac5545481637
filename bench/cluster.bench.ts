/**
 * Cluster dispatch under a CPU hog: two router nodes as processes (test/support/router-node.ts)
 * on a throw-away redis-server, with two `yes > /dev/null` beside them, the product's heartbeat
 * settings (beat 1 s, TTL 3 s), 40 agents (20 readied through each node) and a backlog of
 * callers on both nodes large enough that an agent always has someone to take.
 *
 * Reported:
 *  - "agent ready → caller assigned": from an agent's hangup (no wrap-up: it is ready at once) to
 *    the ring of its next caller, wherever that caller's node is — p50, p99, max;
 *  - the heartbeats: beats, the longest gap between two acknowledged beats, gaps over the TTL,
 *    and false reaps (a live node's beat finding it reaped), also per hour of this load. Target 0.
 * Run: node --import tsx bench/cluster.bench.ts [seconds]   (default 60)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { clusterCity } from '../test/contract/cluster/fixtures.js';
import { requireRedisServer, startRedisServer } from '../test/support/redis-server.js';
import { startRouterNode, stopAllRouterNodes, type AssignmentRecord } from '../test/support/router-node.js';

const SECONDS = Number(process.argv[2] ?? 60);
const AGENTS = 40;
const TALK_MS = 500;
const BEAT_MS = 1_000;
const TTL_MS = 3_000;
const HOGS = 2;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  if (!requireRedisServer()) return;
  const redis = await startRedisServer();
  const hogs: ChildProcess[] = Array.from({ length: HOGS }, () => spawn('yes', [], { stdio: 'ignore' }));
  try {
    const reg = clusterCity(AGENTS);
    const nodes = await Promise.all([0, 1].map(() => startRouterNode({ redisUrl: redis.url, registry: reg, beatMs: BEAT_MS, ttlMs: TTL_MS, talkMs: TALK_MS })));
    // Enough callers that the line never runs dry: capacity is AGENTS / TALK_MS per second.
    const perNode = Math.ceil((AGENTS * 1000 / TALK_MS) * SECONDS * 0.75) + 200;
    for (const [i, n] of nodes.entries()) {
      for (let from = 0; from < perNode; from += 500) {
        const batch = Array.from({ length: Math.min(500, perNode - from) }, (_, k) => ({ callId: `b${i}-${from + k}`, priority: 0 }));
        await n.call('enqueue', batch, 120_000);
      }
    }
    const started = Date.now();
    await Promise.all(nodes.map((n, i) => n.call('ready', Array.from({ length: AGENTS / 2 }, (_, k) => `a${i * (AGENTS / 2) + k}`))));
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const reports = await Promise.all(nodes.map((n) => n.report()));
    const elapsed = (Date.now() - started) / 1000;
    const load = loadavg()[0] ?? 0;

    const byAgent = new Map<string, AssignmentRecord[]>();
    for (const a of reports.flatMap((r) => r.assignments)) byAgent.set(a.agentId, [...(byAgent.get(a.agentId) ?? []), a]);
    const gaps: number[] = [];
    for (const list of byAgent.values()) {
      list.sort((x, y) => (x.ringAt ?? x.assignedAt) - (y.ringAt ?? y.assignedAt));
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1];
        const cur = list[i];
        if (prev?.endAt === undefined || cur === undefined) continue;
        gaps.push((cur.ringAt ?? cur.assignedAt) - prev.endAt);
      }
    }
    gaps.sort((x, y) => x - y);
    const served = reports.reduce((n, r) => n + r.assignments.length, 0);
    console.log(`cluster dispatch, 2 nodes on one redis-server, ${HOGS} × yes beside them (${cpus().length} cores, load ${load.toFixed(1)}), ${elapsed.toFixed(0)} s, ${AGENTS} agents, talk ${TALK_MS} ms`);
    console.log(`  assignments ${served} (${(served / elapsed).toFixed(0)}/s); agent ready → caller assigned over ${gaps.length} cycles: `
      + `p50 ${percentile(gaps, 50).toFixed(0)} ms, p99 ${percentile(gaps, 99).toFixed(0)} ms, max ${(gaps.at(-1) ?? Number.NaN).toFixed(0)} ms`);
    const lost = reports.reduce((n, r) => n + (r.beats?.lost ?? 0), 0);
    for (const r of reports) {
      const b = r.beats;
      console.log(`  node ${r.nodeId}: ${b?.beats ?? 0} beats (every ${BEAT_MS} ms, TTL ${TTL_MS} ms), longest gap ${b?.maxGapMs ?? '?'} ms, gaps over TTL ${b?.gapsOverTtl ?? '?'}, found reaped ${b?.lost ?? '?'}`);
    }
    console.log(`  false reaps: ${lost} in ${elapsed.toFixed(0)} s = ${(lost * 3600 / elapsed).toFixed(1)} per hour of this load (target 0)`);
    if (Object.keys(reports[0]?.failures ?? {}).length + Object.keys(reports[1]?.failures ?? {}).length > 0) {
      console.log(`  failures: ${JSON.stringify(reports.map((r) => r.failures))}`);
    }
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
    await stopAllRouterNodes();
    await redis.stop();
  }
}

await main();

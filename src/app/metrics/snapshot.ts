/**
 * The live snapshot behind GET /api/stats and the SSE stream: today's figures from the
 * collector, joined with the ACD's live read models (who waits, for how long, agents by state).
 */
import type { AgentStatus } from '../../core/acd/types.js';
import { AGENT_STATUSES } from '../../core/acd/types.js';
import type { Clock } from '../../core/ports.js';
import type { MetricsCollector } from './collector.js';
import type { LiveAcd } from './ports.js';
import type { AgentStateName, LineStats, QueueStats, StatsSnapshot } from './stats-model.js';

const zeroStates = (): Record<AgentStateName, number> =>
  Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Record<AgentStatus, number>;

export async function buildSnapshot(collector: MetricsCollector, acd: LiveAcd, clock: Clock): Promise<StatsSnapshot> {
  const [queueViews, agents, waiting] = await Promise.all([acd.queues(), acd.agents(), acd.waitingCalls()]);
  const now = clock.now();
  const kpis = collector.todayAggregate().kpis();

  const byLine = new Map<string, { n: number; longest: number }>();
  for (const w of waiting) {
    if (w.line === null) continue;
    const cur = byLine.get(w.line) ?? { n: 0, longest: 0 };
    byLine.set(w.line, { n: cur.n + 1, longest: Math.max(cur.longest, w.waitedSeconds) });
  }
  const lines: LineStats[] = kpis.lines.map((l) => {
    const live = byLine.get(l.line);
    return {
      ...l, waitingNow: live?.n ?? 0, longestWaitSeconds: live === undefined ? null : live.longest,
      abandoned: l.counts.abandoned, overflowed: l.counts.overflowed, asa: l.wait.asa,
    };
  });

  const views = new Map(queueViews.map((v) => [v.id, v]));
  const queues: QueueStats[] = kpis.queues.map((q) => {
    const v = views.get(q.queue);
    return {
      ...q, open: v?.open ?? false, waitingNow: v?.waiting ?? 0, longestWaitSeconds: v?.oldestWaitSeconds ?? null,
      agents: v === undefined ? zeroStates() : { ...zeroStates(), ...v.agents },
      abandoned: q.counts.abandoned, overflowed: q.counts.overflowed, asa: q.wait.asa,
    };
  });

  const byState = zeroStates();
  for (const a of agents) byState[a.status] += 1;

  return {
    at: new Date(now).toISOString(),
    timeZone: collector.zone.id,
    date: collector.today,
    lines,
    queues,
    agents: { byState, total: agents.length },
    hourly: kpis.hourly,
    total: kpis.total,
  };
}

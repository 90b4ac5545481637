/**
 * Which queue actually takes the call: follow `overflow` from the first choice past queues
 * that are closed, have nobody logged in or are full. The 7×24 pool is where every chain ends,
 * and a caller is never dropped for lack of an open queue: with nowhere left to go the call
 * waits in the pool (agents log in, the ACD's maxWait applies) — a human answer 7×24 is the rule.
 */
import { nextChangeIn, openAt } from '../schedule/index.js';
import type { QueueEntry, RoutingTable } from './table.js';
import type { LiveQueueView, OverflowHop, QueueOverflowReason } from './types.js';

export interface QueueChoice {
  readonly queue: string;
  readonly hops: OverflowHop[];
}

interface Verdict {
  readonly reason: QueueOverflowReason | undefined;
  readonly text: string;
}

export function closedText(why: string, schedule: QueueEntry['schedule'], at: number): string {
  const next = nextChangeIn(schedule, at);
  return next === undefined ? `closed (${why})` : `closed (${why}; opens ${next.local})`;
}

function check(q: QueueEntry, at: number, live: LiveQueueView | undefined): Verdict {
  const state = openAt(q.schedule, at);
  if (!state.open) return { reason: 'closed', text: `schedule ${q.scheduleId} ${closedText(state.why, q.schedule, at)}` };
  if (live === undefined) return { reason: undefined, text: `open (${state.why})` };
  const agents = live.agentsLoggedIn(q.id);
  if (agents <= 0) return { reason: 'no-agents', text: `open (${state.why}) but no agent logged in` };
  const length = live.length(q.id);
  if (length >= q.maxLength) return { reason: 'full', text: `full: ${length} waiting, maxLength ${q.maxLength}` };
  return { reason: undefined, text: `open (${state.why}), ${agents} agents logged in, ${length} waiting (max ${q.maxLength})` };
}

export function resolveQueue(
  table: RoutingTable,
  first: string,
  at: number,
  live: LiveQueueView | undefined,
  explanation: string[],
  hops: OverflowHop[] = [],
): QueueChoice {
  const visited = new Set<string>();
  let id = first;
  for (;;) {
    visited.add(id);
    const q = table.queues.get(id);
    if (q === undefined) throw new Error(`unknown queue "${id}" (routing table out of date?)`);
    const v = check(q, at, live);
    if (v.reason === undefined) {
      explanation.push(`queue ${id}: ${v.text}`);
      return { queue: id, hops };
    }
    // Validation rejects overflow cycles; this guard keeps a bad table from looping forever.
    let next = q.overflow !== undefined && !visited.has(q.overflow) ? q.overflow : undefined;
    if (next === undefined && !visited.has(table.poolQueue)) next = table.poolQueue;
    if (next === undefined) {
      const pool = table.poolQueue;
      hops.push({ queue: id, reason: v.reason });
      explanation.push(`queue ${id}: ${v.text} → no open queue left: wait in ${pool}, the 7×24 pool is the last resort`);
      return { queue: pool, hops: hops.filter((h) => !('queue' in h) || h.queue !== pool) };
    }
    explanation.push(`queue ${id}: ${v.text} → overflow to ${next}`);
    hops.push({ queue: id, reason: v.reason });
    id = next;
  }
}

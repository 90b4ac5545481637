/**
 * The chaos test's seniority audit (the model is in chaos.test.ts): for every caller c, the
 * juniors reserved before it while it was in the line, and the callers one stalled node held.
 *
 * A caller is out of the line only while a node does not run: its own node (reaped, its entries
 * gone until it puts them back) or the node holding its reservation (reaped, the agent released,
 * c put back by its node on seeing the reap). The stalls are the freezes the test made (SIGSTOP)
 * and any other stall that got a live node reaped — a starved CPU under a heavy load does that
 * without the test's doing — as the node itself found it: a beat that found its heartbeat gone,
 * and how long the store had heard nothing from it. Such a stall runs from the node's last beat
 * the store acknowledged, less one beat (a reservation the node made just before that beat and
 * never handed over), to the beat that found it out. And a caller is out of the line, too, from
 * a reservation it had and lost (whichever node made it, by Redis's TIME) until it is back.
 */
import type { AssignmentRecord, Report, Requeue } from '../../support/router-node.js';

export interface Pause { readonly node: number; readonly from: number; readonly to: number }
export interface Stall extends Pause { readonly cause: string }
export interface Caller { readonly callId: string; readonly priority: number; readonly seniority: number }
export type Served = AssignmentRecord & { readonly node: number };

export interface AuditInput {
  readonly callers: ReadonlyMap<string, Caller>;
  readonly served: readonly Served[];
  readonly pauses: readonly Pause[];
  readonly reports: readonly Report[];
  readonly beatMs: number;
  readonly ttlMs: number;
}

export interface Overtaken {
  readonly caller: Served;
  readonly overtakers: readonly Served[];
  /** when c was out of the line, as counted */
  readonly away: readonly (readonly [number, number])[];
  readonly putBacks: readonly Requeue[];
}

export interface Audit {
  readonly stalls: readonly Stall[];
  /** the caller most overtaken (undefined: nobody was) */
  readonly worst: Overtaken | undefined;
  /** callers whose reservation a stalled node held, by stall */
  readonly heldByStall: ReadonlyMap<Stall, readonly string[]>;
  readonly slowestPutBack: number;
}

/** When the dispatcher reserved the agent (Redis's TIME), else when the node rang. */
export const reservedAt = (x: AssignmentRecord): number => x.reservedAt ?? x.ringAt ?? x.assignedAt;

const senior = (x: Caller, y: Caller): boolean =>
  x.priority > y.priority || (x.priority === y.priority && x.seniority < y.seniority);

/** The test's freezes, and the reaps of a live node none of them explains. */
export function stallsOf(pauses: readonly Pause[], reports: readonly Report[], beatMs: number): Stall[] {
  const out: Stall[] = pauses.map((p) => ({ ...p, cause: 'SIGSTOP' }));
  reports.forEach((r, node) => {
    for (const x of r.reapedWhileAlive) {
      const lastHeard = x.at - x.silentMs;
      // A freeze explains the reap when the node was heard until about the freeze (a beat or two
      // before it); heard last well before, the node had stalled already when it was frozen.
      if (pauses.some((p) => p.node === node && p.from - 2 * beatMs <= lastHeard && lastHeard <= p.to)) continue;
      out.push({ node, from: lastHeard - beatMs, to: x.at, cause: `reaped while alive, unheard for ${x.silentMs} ms (no SIGSTOP)` });
    }
  });
  return out.sort((a, b) => a.from - b.from);
}

export function auditSeniority(input: AuditInput): Audit {
  const { served, reports, ttlMs, beatMs } = input;
  const stalls = stallsOf(input.pauses, reports, beatMs);
  const requeues = new Map<string, Requeue[]>();
  for (const r of reports) {
    for (const [callId, list] of Object.entries(r.requeued)) requeues.set(callId, [...(requeues.get(callId) ?? []), ...list].sort((x, y) => x.at - y.at));
  }
  // Every reservation each caller had, whichever node made it, in Redis's order; every reap.
  const reservations = new Map<string, number[]>();
  for (const r of reports) for (const x of r.reservations) reservations.set(x.callId, [...(reservations.get(x.callId) ?? []), x.at]);
  for (const list of reservations.values()) list.sort((x, y) => x - y);
  const reapTimes = reports.flatMap((r) => r.reaps.map((x) => x.at)).sort((x, y) => x - y);
  const held = new Map<Stall, string[]>();
  let slowestPutBack = 0;
  const callerOf = (x: Served): Caller => {
    const c = input.callers.get(x.callId);
    if (c === undefined) throw new Error(`unknown call ${x.callId}`);
    return c;
  };

  // When c was out of the line: from its own node's stall until the node put it back, or from
  // the other node's stall (holding c's reservation) until that node was reaped and c's node,
  // seeing the reap, put it back — as the nodes logged it.
  const outOfLine = (c: Served): [number, number][] => {
    const out: [number, number][] = [];
    // A node logs its put-backs once the whole resync is done, by its own clock, while the
    // reservation time is Redis's: a put-back logged after c's reservation still happened
    // before it (c cannot be reserved out of the line), so such a window ends at the reservation.
    const list = requeues.get(c.callId) ?? [];
    const backBy = (r: Requeue): number => Math.min(r.at, reservedAt(c));
    const used = new Set<Requeue>();
    // A reservation c had before the one it was served by, lost later (its node or the reserving
    // one stalled and was reaped, the agent released): c was reserved first, and out of the line
    // until put back after that reap (or reserved again). Its node may have been slow to ring it
    // well before a stall began. A put-back logged before the reap is another reservation's.
    const mine = reservations.get(c.callId) ?? [];
    for (const [k, t] of mine.entries()) {
      if (t >= reservedAt(c) - 0.5) break;
      const released = reapTimes.find((x) => x >= t) ?? t;
      const back = list.find((r) => r.at >= released);
      out.push([t, Math.min(back?.at ?? Infinity, mine[k + 1] ?? Infinity, reservedAt(c))]);
    }
    // Its own node's stalls first: the first put-back after each is that stall's.
    const own = stalls.filter((s) => s.node === c.node && s.from <= reservedAt(c));
    for (const [i, s] of own.entries()) {
      const next = own[i + 1]?.from ?? Infinity;
      const back = list.find((r) => r.at >= s.from && r.at < next && !used.has(r));
      if (back === undefined) {
        out.push([s.from, s.to]);
        continue;
      }
      used.add(back);
      out.push([s.from, backBy(back)]);
      slowestPutBack = Math.max(slowestPutBack, back.at - s.to);
    }
    // Then the other node's: a put-back on seeing that node reaped, not already accounted for.
    for (const s of stalls) {
      if (s.node === c.node || s.from > reservedAt(c)) continue;
      const back = list.find((r) => r.at >= s.from && r.at <= s.to + ttlMs + beatMs && r.why === 'peer-reaped' && !used.has(r));
      if (back === undefined) continue;
      used.add(back);
      out.push([s.from, backBy(back)]);
      slowestPutBack = Math.max(slowestPutBack, back.at - s.from);
      held.set(s, [...(held.get(s) ?? []), c.callId]);
    }
    return out;
  };

  let worst: Overtaken | undefined;
  for (const c of served) {
    const cc = callerOf(c);
    const away = outOfLine(c);
    const overtakers = served.filter((j) => {
      const at = reservedAt(j);
      return at < reservedAt(c) && senior(cc, callerOf(j)) && !away.some(([f, t]) => at >= f && at <= t);
    });
    if (overtakers.length > (worst?.overtakers.length ?? 0)) worst = { caller: c, overtakers, away, putBacks: requeues.get(c.callId) ?? [] };
  }
  return { stalls, worst, heldByStall: held, slowestPutBack };
}

const MAX_LISTED = 60;

/** Everything a failure needs to explain itself, times in ms from `t0`. */
export function explainAudit(a: Audit, input: AuditInput, t0: number): string {
  const rel = (t: number | undefined): string => (t === undefined ? '—' : `${t - t0}`);
  const who = (x: Served): string => {
    const c = input.callers.get(x.callId);
    return `${x.callId} (node ${x.node}, ${x.agentId}, priority ${c?.priority ?? '?'}, seniority ${rel(c?.seniority)}, reserved ${rel(reservedAt(x))})`;
  };
  const nodeIndex = new Map(input.reports.map((r, i) => [r.nodeId, i]));
  const lines: string[] = [`times in ms from ${t0} (epoch ms)`];
  const w = a.worst;
  if (w !== undefined) {
    lines.push(`most overtaken: ${who(w.caller)}, rung ${rel(w.caller.ringAt)}, noticed ${rel(w.caller.assignedAt)}`,
      `  put back: ${JSON.stringify(w.putBacks.map((r) => [r.at - t0, r.why]))}`,
      `  reservations (Redis TIME): ${JSON.stringify(input.reports.flatMap((r, i) => r.reservations.filter((x) => x.callId === w.caller.callId).map((x) => ({ at: x.at - t0, agent: x.agentId, by: i }))))}`,
      `  out of line (not counted): ${JSON.stringify(w.away.map(([f, t]) => [f - t0, t - t0]))}`,
      `  ${w.overtakers.length} juniors reserved before it while it was in line${w.overtakers.length > MAX_LISTED ? ` (first ${MAX_LISTED})` : ''}:`,
      ...[...w.overtakers].sort((x, y) => reservedAt(x) - reservedAt(y)).slice(0, MAX_LISTED).map((j) => `    ${who(j)}`));
  }
  lines.push('stalls (a node not running as the cluster saw it):',
    ...a.stalls.map((s) => `  node ${s.node} [${s.from - t0}, ${s.to - t0}] ${s.cause}: held ${a.heldByStall.get(s)?.length ?? 0} callers' reservations`
      + `${(a.heldByStall.get(s)?.length ?? 0) > 0 ? ` (${(a.heldByStall.get(s) ?? []).slice(0, 10).join(', ')}…)` : ''}`));
  input.reports.forEach((r, i) => {
    lines.push(`node ${i} (${r.nodeId}): reaped while alive ${JSON.stringify(r.reapedWhileAlive.map((x) => ({ at: x.at - t0, unheardMs: x.silentMs })))}; `
      + `reaps it ran ${JSON.stringify(r.reaps.map((x) => ({ at: x.at - t0, nodes: x.nodes.map((id) => nodeIndex.get(id) ?? id) })))}; `
      + `beats ${JSON.stringify(r.beats)}, event loop held up at most ${r.loopDelayMaxMs} ms`);
  });
  return lines.join('\n');
}

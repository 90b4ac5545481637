/**
 * Per-agent figures for one local day, a pure function of the agent state log and the day's call
 * records: calls answered, talk time, time in each state, not-ready time by reason, occupancy.
 *
 * Each state lasts from its event to the agent's next event (or the end of the window), clipped
 * to the window; the log's last event before the window (which agentEvents returns) says what
 * state the day began in. Occupancy is the usual contact-center one: time handling calls
 * (on a call or in wrap-up) over time handling or available (ready, reserved, ringing) — null
 * when the agent was never either.
 */
import type { CallRecord } from '../../core/call/index.js';
import type { AgentLogStatus, AgentStateEvent } from '../records/records-db.js';

export interface AgentDayFigures {
  readonly agentId: string;
  /** calls this agent answered (records whose agentId is this agent) */
  readonly callsAnswered: number;
  /** from the state log: seconds on a call */
  readonly talkSeconds: number;
  readonly wrapUpSeconds: number;
  readonly readySeconds: number;
  /** reserved + ringing */
  readonly ringingSeconds: number;
  readonly notReadySeconds: number;
  readonly notReadyByReason: Readonly<Record<string, number>>;
  /** every state but logged-out */
  readonly loggedInSeconds: number;
  readonly occupancy: number | null;
  readonly averageTalkSeconds: number | null;
}

type Totals = Record<AgentLogStatus, number>;
const zero = (): Totals => ({ 'logged-out': 0, ready: 0, reserved: 0, ringing: 0, 'on-call': 0, 'wrap-up': 0, 'not-ready': 0 });
const round = (x: number): number => Math.round(x * 1000) / 1000;

export function agentDayFigures(
  events: readonly AgentStateEvent[], records: readonly CallRecord[], from: number, to: number,
): AgentDayFigures[] {
  const byAgent = new Map<string, AgentStateEvent[]>();
  for (const e of events) {
    const list = byAgent.get(e.agentId) ?? [];
    list.push(e);
    byAgent.set(e.agentId, list);
  }
  const answered = new Map<string, number>();
  for (const r of records) {
    if (r.outcome !== 'answered' || r.agentId === undefined || r.arrivedAt < from || r.arrivedAt >= to) continue;
    answered.set(r.agentId, (answered.get(r.agentId) ?? 0) + 1);
    if (!byAgent.has(r.agentId)) byAgent.set(r.agentId, []);
  }

  const out: AgentDayFigures[] = [];
  for (const [agentId, list] of [...byAgent.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const sorted = [...list].sort((a, b) => a.at - b.at);
    const totals = zero();
    const reasons: Record<string, number> = {};
    sorted.forEach((e, i) => {
      const start = Math.max(e.at, from);
      const end = Math.min(sorted[i + 1]?.at ?? to, to);
      if (end <= start) return;
      const secs = (end - start) / 1000;
      totals[e.status] += secs;
      if (e.status === 'not-ready') {
        const reason = e.reason ?? 'other';
        reasons[reason] = (reasons[reason] ?? 0) + secs;
      }
    });
    const handling = totals['on-call'] + totals['wrap-up'];
    const available = totals.ready + totals.reserved + totals.ringing;
    const calls = answered.get(agentId) ?? 0;
    out.push({
      agentId, callsAnswered: calls, talkSeconds: round(totals['on-call']), wrapUpSeconds: round(totals['wrap-up']),
      readySeconds: round(totals.ready), ringingSeconds: round(totals.reserved + totals.ringing), notReadySeconds: round(totals['not-ready']),
      notReadyByReason: Object.fromEntries(Object.entries(reasons).map(([k, v]) => [k, round(v)])),
      loggedInSeconds: round(handling + available + totals['not-ready']),
      occupancy: handling + available === 0 ? null : round(handling / (handling + available)),
      averageTalkSeconds: calls === 0 ? null : round(totals['on-call'] / calls),
    });
  }
  return out;
}

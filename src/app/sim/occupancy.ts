/**
 * Agent occupancy per queue and hour from the ACD's agent-state events: time busy with a call
 * (reserved, ringing, talking, wrapping up) ÷ time logged in, summed over the agents serving the
 * queue (an agent serving two queues counts in both).
 */
import type { AgentStatus } from '../../core/acd/types.js';
import type { AcdEvent } from '../acd/acd-model.js';

const HOUR = 3_600_000;
const BUSY: ReadonlySet<AgentStatus> = new Set(['reserved', 'ringing', 'on-call', 'wrap-up']);

export class Occupancy {
  private readonly current = new Map<string, { status: AgentStatus; since: number }>();
  private readonly busy = new Map<string, Float64Array>();
  private readonly logged = new Map<string, Float64Array>();

  constructor(private readonly dayStart: number, private readonly queuesOf: (agentId: string) => readonly string[]) {}

  onEvent(e: AcdEvent): void {
    if (e.type !== 'agent-state') return;
    this.close(e.agentId, e.at);
    // Updated in place: a state change per call step, one record per agent for the day.
    const c = this.current.get(e.agentId);
    if (c === undefined) this.current.set(e.agentId, { status: e.status, since: e.at });
    else {
      c.status = e.status;
      c.since = e.at;
    }
  }

  /** Counts every agent's current state up to `at` (end of the run). */
  finish(at: number): void {
    for (const id of [...this.current.keys()]) {
      this.close(id, at);
      const c = this.current.get(id);
      if (c !== undefined) c.since = at;
    }
  }

  /** busy ÷ logged in, per hour 0..23; null where nobody was logged in. */
  byHour(queueId: string): (number | null)[] {
    const b = this.busy.get(queueId);
    const l = this.logged.get(queueId);
    return Array.from({ length: 24 }, (_, h) => (l === undefined || b === undefined || (l[h] ?? 0) <= 0 ? null : (b[h] ?? 0) / (l[h] ?? 1)));
  }

  day(queueId: string): number | null {
    const b = this.busy.get(queueId);
    const l = this.logged.get(queueId);
    if (b === undefined || l === undefined) return null;
    const lt = l.reduce((s, x) => s + x, 0);
    return lt > 0 ? b.reduce((s, x) => s + x, 0) / lt : null;
  }

  private close(agentId: string, at: number): void {
    const c = this.current.get(agentId);
    if (c === undefined || c.status === 'logged-out' || at <= c.since) return;
    const busy = BUSY.has(c.status);
    for (const q of this.queuesOf(agentId)) {
      const l = arr(this.logged, q);
      const b = arr(this.busy, q);
      // Split [since, at) at hour boundaries; time after the simulated day is not counted.
      for (let t = c.since; t < at;) {
        const h = Math.floor((t - this.dayStart) / HOUR);
        const end = Math.min(at, this.dayStart + (h + 1) * HOUR);
        if (h >= 0 && h < 24) {
          l[h] = (l[h] ?? 0) + (end - t);
          if (busy) b[h] = (b[h] ?? 0) + (end - t);
        }
        t = end;
      }
    }
  }
}

function arr(m: Map<string, Float64Array>, k: string): Float64Array {
  let a = m.get(k);
  if (a === undefined) m.set(k, (a = new Float64Array(24)));
  return a;
}

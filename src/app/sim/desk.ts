/**
 * Simulated agents at their desks, through the ACD's own agent operations: they log in and
 * become ready as their hour starts, log out when the plan needs fewer of them (after the call
 * in hand), and come back from a missed call (not-ready, no-answer) after returnSeconds.
 */
import type { AgentStatus } from '../../core/acd/types.js';
import type { Clock } from '../../core/ports.js';
import type { AcdService } from '../acd/acd-service.js';
import type { AcdEvent } from '../acd/acd-model.js';
import type { Timers } from '../timers.js';

/** Who may be logged in when: per queue, its agents and the number wanted each hour. */
export interface DeskPlan {
  readonly queues: readonly { readonly agents: readonly string[]; readonly perHour: readonly number[] }[];
}

const FREE: ReadonlySet<AgentStatus> = new Set(['ready', 'not-ready', 'wrap-up']);

export class SimDesk {
  private readonly status = new Map<string, AgentStatus>();
  private readonly leaving = new Set<string>();
  private readonly returning = new Set<string>();

  constructor(
    private readonly acd: Pick<AcdService, 'login' | 'ready' | 'logout'>,
    private readonly time: { readonly clock: Clock; readonly timers: Timers },
    private readonly plan: DeskPlan,
    private readonly returnSeconds: number,
  ) {}

  /** Arms the 24 hourly staffing changes of the day starting at `dayStart`. */
  start(dayStart: number): void {
    for (let h = 0; h < 24; h += 1) this.time.timers.at(dayStart + h * 3_600_000, () => { void this.staff(h); });
  }

  /** Feed every ACD event here (agent-state is what the desk watches). */
  onEvent(e: AcdEvent): void {
    if (e.type !== 'agent-state') return;
    this.status.set(e.agentId, e.status);
    if (this.leaving.has(e.agentId) && FREE.has(e.status)) {
      this.later(0, () => this.logout(e.agentId));
    } else if (e.status === 'not-ready' && e.reason === 'no-answer' && !this.returning.has(e.agentId)) {
      this.returning.add(e.agentId);
      this.later(this.returnSeconds, async () => {
        this.returning.delete(e.agentId);
        if (!this.leaving.has(e.agentId) && this.status.get(e.agentId) === 'not-ready') await this.attempt(() => this.acd.ready(e.agentId));
      });
    }
  }

  private async staff(hour: number): Promise<void> {
    for (const q of this.plan.queues) {
      const want = q.perHour[hour] ?? 0;
      const on = q.agents.filter((id) => this.loggedIn(id) && !this.leaving.has(id));
      if (on.length < want) {
        let need = want - on.length;
        for (const id of q.agents) {
          if (need === 0) break;
          if (this.leaving.delete(id)) need -= 1;
        }
        for (const id of q.agents) {
          if (need === 0) break;
          if (this.loggedIn(id)) continue;
          need -= 1;
          await this.attempt(() => this.acd.login(id));
          await this.attempt(() => this.acd.ready(id));
        }
      } else if (on.length > want) {
        // The idle go first, then those finishing a call, then those on one (after it).
        const rank = (id: string) => { const s = this.status.get(id); return s === 'ready' || s === 'not-ready' ? 0 : s === 'wrap-up' ? 1 : 2; };
        for (const id of [...on].sort((a, b) => rank(a) - rank(b)).slice(0, on.length - want)) {
          this.leaving.add(id);
          if (FREE.has(this.status.get(id) ?? 'logged-out')) await this.logout(id);
        }
      }
    }
  }

  private loggedIn(id: string): boolean {
    const s = this.status.get(id);
    return s !== undefined && s !== 'logged-out';
  }

  private async logout(id: string): Promise<void> {
    if (!this.leaving.has(id) || !FREE.has(this.status.get(id) ?? 'logged-out')) return;
    this.leaving.delete(id);
    await this.attempt(() => this.acd.logout(id));
  }

  /** An agent operation refused because the agent moved on in between is simply not done. */
  private async attempt(op: () => Promise<unknown>): Promise<void> {
    try {
      await op();
    } catch {
      // refused: the state changed since the desk looked
    }
  }

  private later(seconds: number, fn: () => Promise<void>): void {
    this.time.timers.at(this.time.clock.now() + seconds * 1000, () => { void fn(); });
  }
}

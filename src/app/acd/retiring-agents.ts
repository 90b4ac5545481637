/**
 * Agents a registry reload removed. Such an agent serves no queue from the reload on (its profile
 * in the store is emptied, so no dispatch offers it anything) and can no longer log in. An agent
 * that holds no call is logged out at once; one reserved, ringing or on a call keeps that call —
 * the answer, the conversation and the hang-up go on as before — and is logged out as soon as it
 * is free of it (wrap-up, a no-answer, a release). The store keeps the logged-out row.
 */
import type { AcdStore } from '../../core/acd/store-port.js';
import type { AgentStatus } from '../../core/acd/types.js';
import type { AcdEvent } from './acd-model.js';
import type { AcdObserver } from './acd-observer.js';
import type { AcdRuntime } from './acd-runtime.js';
import type { AgentDesk } from './agent-desk.js';
import type { CallBook } from './call-book.js';

const HOLDS_A_CALL: ReadonlySet<AgentStatus> = new Set(['reserved', 'ringing', 'on-call']);

export class RetiringAgents implements AcdObserver {
  private readonly waiting = new Set<string>();

  constructor(
    private readonly store: AcdStore, private readonly desk: Pick<AgentDesk, 'logout'>, private readonly rt: AcdRuntime,
    /** told of each emptied profile as the store now has it (its version moved) */
    private readonly calls: Pick<CallBook, 'refreshRinging'>,
  ) {}

  /** Ids still busy with a call, to be logged out when free. */
  get pending(): readonly string[] {
    return [...this.waiting];
  }

  async retire(agentIds: readonly string[], now: number): Promise<void> {
    for (const id of agentIds) {
      this.waiting.delete(id);
      const agent = await this.store.upsertAgent({ id, skills: {}, queues: [] }, now);
      this.calls.refreshRinging(agent);
      if (agent.state.status === 'logged-out') continue;
      if (HOLDS_A_CALL.has(agent.state.status)) {
        this.waiting.add(id);
        this.rt.log.warn({ agentId: id, status: agent.state.status }, 'registry reload: removed agent keeps its call, logged out after it');
        continue;
      }
      await this.logout(id);
    }
  }

  /** A listed agent again (re-added by a later reload): nothing to do any more. */
  keep(agentIds: Iterable<string>): void {
    for (const id of agentIds) this.waiting.delete(id);
  }

  /** Every ACD event passes here: a retiring agent that has just let go of its call is logged out. */
  onAcdEvent(e: AcdEvent): void {
    if (e.type !== 'agent-state' || !this.waiting.has(e.agentId) || HOLDS_A_CALL.has(e.status) || e.status === 'logged-out') return;
    this.waiting.delete(e.agentId);
    void this.rt.tasks.track(this.logout(e.agentId), `logout of removed agent ${e.agentId}`);
  }

  private async logout(agentId: string): Promise<void> {
    try {
      await this.desk.logout(agentId);
    } catch (err) {
      // Taken by a call in between (a reservation made before the profile was emptied): wait for its end.
      this.waiting.add(agentId);
      this.rt.log.warn({ err, agentId }, 'registry reload: removed agent not logged out yet');
    }
  }
}

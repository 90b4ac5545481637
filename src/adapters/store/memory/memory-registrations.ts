/** Agents' registrations in memory: one edge process (they are lost when it restarts; phones re-register). */
import type { AgentBinding, AgentRegistrations } from '../../../app/edge/registrations.js';
import { MAX_CONTACTS } from '../../../core/edge/index.js';

export class MemoryRegistrations implements AgentRegistrations {
  private readonly byAgent = new Map<string, Map<string, AgentBinding>>();

  bind(agentId: string, binding: AgentBinding, now: number): Promise<void> {
    const current = this.live(agentId, now);
    current.set(binding.contact, binding);
    while (current.size > MAX_CONTACTS) {
      const soonest = [...current.values()].sort((a, b) => a.expiresAt - b.expiresAt)[0];
      if (soonest === undefined) break;
      current.delete(soonest.contact);
    }
    this.byAgent.set(agentId, current);
    return Promise.resolve();
  }

  unbind(agentId: string, contact: string): Promise<void> {
    const current = this.byAgent.get(agentId);
    current?.delete(contact);
    if (current?.size === 0) this.byAgent.delete(agentId);
    return Promise.resolve();
  }

  unbindAll(agentId: string): Promise<void> {
    this.byAgent.delete(agentId);
    return Promise.resolve();
  }

  bindings(agentId: string, now: number): Promise<readonly AgentBinding[]> {
    const current = this.live(agentId, now);
    if (current.size === 0) this.byAgent.delete(agentId);
    return Promise.resolve([...current.values()].sort((a, b) => a.expiresAt - b.expiresAt));
  }

  /** The agent's bindings with the expired ones dropped (so memory does not keep dead phones). */
  private live(agentId: string, now: number): Map<string, AgentBinding> {
    const current = this.byAgent.get(agentId) ?? new Map<string, AgentBinding>();
    for (const [contact, b] of current) if (b.expiresAt <= now) current.delete(contact);
    return current;
  }
}

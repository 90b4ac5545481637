/**
 * The once-a-second safety net over agents: wrap-ups whose end has come (the timer of the
 * node that handled the call may be gone) and reservations nobody renewed by `reservedUntil`
 * (the node holding them died). Each change is compare-and-set on the version seen, so a
 * sweep racing the owning node changes nothing the node already changed.
 * Returns the agents made ready: dispatch `agent-ready` for each.
 */
import { isReservationExpired, isWrapUpDue } from '../../core/acd/agent-state.js';
import type { AcdStore } from '../../core/acd/store-port.js';
import type { AgentSnapshot } from '../../core/acd/types.js';

export async function sweepAgents(store: AcdStore, now: number): Promise<AgentSnapshot[]> {
  const readied: AgentSnapshot[] = [];
  for (const agent of await store.listAgents()) {
    const s = agent.state;
    if (isWrapUpDue(agent, now)) {
      const r = await store.applyAgentEvent(agent.id, { type: 'wrap-up-done' }, now, agent.version);
      if (r.ok) readied.push(r.agent);
    } else if (isReservationExpired(agent, now) && 'callId' in s) {
      const r = await store.applyAgentEvent(agent.id, { type: 'release', callId: s.callId }, now, agent.version);
      if (r.ok) readied.push(r.agent);
    }
  }
  return readied;
}

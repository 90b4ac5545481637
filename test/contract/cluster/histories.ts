/**
 * What the agents' histories must show, whatever happened to the nodes: each agent's calls, in
 * time order, never overlap — the next is assigned after the last ended.
 */
import type { AssignmentRecord } from '../../support/router-node.js';

export function doubleBookings(all: readonly AssignmentRecord[]): string[] {
  const byAgent = new Map<string, AssignmentRecord[]>();
  for (const r of all) byAgent.set(r.agentId, [...(byAgent.get(r.agentId) ?? []), r]);
  const out: string[] = [];
  for (const [agent, list] of byAgent) {
    list.sort((x, y) => x.assignedAt - y.assignedAt);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      const cur = list[i];
      if (prev === undefined || cur === undefined) continue;
      if (prev.endAt === undefined || cur.assignedAt < prev.endAt) {
        out.push(`${agent}: ${prev.callId} [${prev.assignedAt}, ${prev.endAt ?? '…'}] and ${cur.callId} at ${cur.assignedAt}`);
      }
    }
  }
  return out;
}

/**
 * What happens to a reservation after the ring (docs/architecture.md, call path step 5): the two-step flows over the
 * store. Each step is atomic on its own; the order is chosen so a crash between them leaves
 * the caller findable (re-queue first, then free or park the agent).
 */
import type { AcdStore, AgentUpdateResult } from '../../core/acd/store-port.js';
import type { Assignment } from './dispatch.js';

/**
 * The agent did not answer: the caller goes back in line with its original seniority, seq and
 * enqueuedAt — so it keeps its position and its maxWait clock — and the agent goes
 * not-ready(no-answer) so it is not offered the next call.
 */
export async function noAnswer(store: AcdStore, a: Assignment, now: number): Promise<AgentUpdateResult> {
  await store.enqueue(a.entry.queueId, a.entry);
  return store.applyAgentEvent(a.agent.id, { type: 'no-answer', callId: a.entry.callId }, now);
}

/**
 * The caller hung up while the agent was reserved or ringing: the agent is free again — if it is
 * still at the version this assignment holds (its fencing token). A stale assignment (its
 * reservation was reaped, and the caller reserved anew meanwhile) frees nothing.
 */
export function callerGone(store: AcdStore, a: Assignment, now: number): Promise<boolean> {
  return store.releaseAgent(a.agent.id, a.entry.callId, now, a.agent.version);
}

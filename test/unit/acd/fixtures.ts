import type { AcdQueue, AgentSnapshot, AgentState, QueueEntry } from '../../../src/core/acd/types.js';

export function queue(over: Partial<AcdQueue> = {}): AcdQueue {
  return {
    id: 'q12345', name: '12345', skills: [], maxWaitSeconds: 60, maxLength: 100, wrapUpSeconds: 15,
    overflow: 'pool', schedule: 'always', announceEverySeconds: 30, serviceLevelSeconds: 15,
    ringSeconds: 20, selection: 'skill-then-longest-idle', ...over,
  };
}

export function agent(id: string, over: Partial<AgentSnapshot> = {}, state: AgentState = { status: 'ready' }): AgentSnapshot {
  return { id, skills: {}, queues: ['q12345'], state, since: 0, idleSince: state.status === 'ready' ? 0 : null, version: 1, ...over };
}

export function entry(callId: string, over: Partial<QueueEntry> = {}): QueueEntry {
  return { callId, queueId: 'q12345', priority: 0, seniority: 1000, seq: 1, enqueuedAt: 1000, ...over };
}

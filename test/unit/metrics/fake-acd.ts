/** A LiveAcd whose views a test sets directly. */
import type { AgentView, QueueView, WaitingCallView } from '../../../src/app/acd/acd-model.js';
import type { LiveAcd } from '../../../src/app/metrics/index.js';
import type { AgentCounts } from '../../../src/core/acd/store-port.js';

export const counts = (c: Partial<AgentCounts> = {}): AgentCounts => ({
  'logged-out': 0, 'ready': 0, 'reserved': 0, 'ringing': 0, 'on-call': 0, 'wrap-up': 0, 'not-ready': 0, ...c,
});

export class FakeAcd implements LiveAcd {
  queueViews: QueueView[] = [];
  agentViews: AgentView[] = [];
  waiting: WaitingCallView[] = [];
  calls = 0;

  queues(): Promise<QueueView[]> { this.calls += 1; return Promise.resolve(this.queueViews); }
  agents(): Promise<AgentView[]> { return Promise.resolve(this.agentViews); }
  waitingCalls(): Promise<WaitingCallView[]> { return Promise.resolve(this.waiting); }
}

export function queueView(id: string, waiting = 0, oldest: number | null = null, agents: Partial<AgentCounts> = {}): QueueView {
  return { id, name: id, open: true, waiting, oldestWaitSeconds: oldest, agents: counts(agents) };
}

export function agentView(id: string, status: AgentView['status'], queues: string[] = ['general']): AgentView {
  return { id, name: id, dial: `user/${id}`, queues, status, since: 0 };
}

export function waitingCall(callId: string, queueId: string, line: string, waitedSeconds: number): WaitingCallView {
  return { callId, queueId, line, caller: '13800138000', position: 1, priority: 0, waitedSeconds };
}

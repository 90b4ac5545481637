/** The calls this node holds, as the ACD's call flows see them (./call-flows.ts). */
import type { AgentSnapshot, QueueEntry } from '../../core/acd/types.js';
import type { TimerHandle } from '../timers.js';
import type { QueueNotice } from './call-acd-port.js';
import type { Assignment } from './dispatch.js';

export type Phase =
  | { kind: 'waiting'; queueId: string; timer?: TimerHandle }
  | { kind: 'ringing'; assignment: Assignment }
  | { kind: 'talking'; queueId: string; agentId: string; answeredAt: number };

export interface CallRecord {
  readonly callId: string;
  readonly listener: (notice: QueueNotice) => void;
  readonly line: string;
  readonly caller: string | null;
  readonly seniority: number;
  /** the caller's last entry: what a lost entry is re-queued from (same seniority and seq) */
  entry: QueueEntry;
  phase: Phase;
}

export class CallBook {
  protected readonly calls = new Map<string, CallRecord>();

  caller(callId: string): { line: string; caller: string | null } | null {
    const rec = this.calls.get(callId);
    return rec === undefined ? null : { line: rec.line, caller: rec.caller };
  }

  /** This node holds the call (its session is with the ACD). */
  holds(callId: string): boolean {
    return this.calls.has(callId);
  }

  /**
   * A registry reload changed the agent's profile, which moves its version (the fencing token a
   * ring carries): a ring in progress for it takes the new one, so that its release when the
   * caller hangs up still matches and does not leave the agent ringing.
   */
  refreshRinging(agent: AgentSnapshot): void {
    const s = agent.state;
    if (s.status !== 'ringing') return;
    const rec = this.calls.get(s.callId);
    if (rec?.phase.kind === 'ringing' && rec.phase.assignment.agent.id === agent.id) {
      rec.phase = { kind: 'ringing', assignment: { ...rec.phase.assignment, agent } };
    }
  }

  /** The entries of the callers this node holds that wait, as last known. */
  waitingEntries(): QueueEntry[] {
    return [...this.calls.values()].flatMap((r) => (r.phase.kind === 'waiting' ? [r.entry] : []));
  }
}

/**
 * What the ACD's parts ask for after a change they made, outside any call lock. One
 * implementation: AcdService (./acd-service.ts), which hands itself to the parts it builds —
 * the agent desk (an agent freed or the last one gone), the call flows (a caller's maxWait is
 * up), the node sync (a peer's assignment or hint, a resync) and the schedule watch.
 */
import type { TimerHandle } from '../timers.js';
import type { Assignment, DispatchTrigger } from './dispatch.js';

export interface AcdFollowUps {
  /**
   * Reserve agents for waiting callers (./dispatch.ts), then have each reserved agent rung: here
   * under the call's lock (CallFlows.deliver) when this node holds the caller, else by the
   * caller's node (the assignment is sent over the bus). Repeats for whatever that frees.
   */
  dispatch(trigger: DispatchTrigger): Promise<void>;
  /** An assignment another node made for a caller this node holds: ring it here. */
  deliver(a: Assignment): Promise<void>;
  /** Move this node's callers out of the queue if they must leave it now (closed, no agents, maxWait). */
  sweepQueue(queueId: string): Promise<void>;
  /** The queue's last logged-in agent left: every node moves its callers on. Never rejects. */
  noAgentsLeft(queueId: string): Promise<void>;
  /** A waiting caller's maxWait timer fired (`handle`: the timer, still current if it is its last). */
  maxWaitDue(callId: string, handle: TimerHandle, from: string, to: string): Promise<void>;
}

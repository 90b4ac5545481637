/**
 * Callers leaving a queue by its overflow rules, outside any call lock: a caller whose maxWait
 * timer fired, and the sweep of a queue that closed, lost its last logged-in agent or was
 * removed by a reload. Each move runs under its caller's lock (CallFlows.move); the queues moved
 * into are dispatched after. Only callers this node holds move: another node's are that node's
 * to move (a queue left without agents is hinted to the others, who sweep their own).
 */
import { overflowSweep } from '../../core/acd/overflow.js';
import type { AcdStore } from '../../core/acd/store-port.js';
import type { Clock } from '../../core/ports.js';
import type { TimerHandle } from '../timers.js';
import type { AcdRuntime } from './acd-runtime.js';
import type { CallFlows } from './call-flows.js';
import type { ClusterPeers } from './cluster-peers.js';
import type { AcdFollowUps } from './follow-ups.js';
import type { QueueRules } from './queue-rules.js';

export interface OverflowMovesDeps {
  readonly store: AcdStore;
  readonly clock: Clock;
  readonly rules: QueueRules;
  readonly rt: AcdRuntime;
  readonly flows: Pick<CallFlows, 'holds' | 'move'>;
  /** the queues callers moved into */
  readonly followUps: Pick<AcdFollowUps, 'dispatch'>;
  /** several nodes: told when a queue lost its last agent */
  readonly peers?: ClusterPeers | undefined;
}

export class OverflowMoves implements Pick<AcdFollowUps, 'maxWaitDue' | 'sweepQueue' | 'noAgentsLeft'> {
  constructor(private readonly d: OverflowMovesDeps) {}

  async maxWaitDue(callId: string, handle: TimerHandle, from: string, to: string): Promise<void> {
    const moved = await this.d.rt.serial.run(callId, () => this.d.flows.move(callId, from, to, 'max-wait', handle));
    if (moved !== null) await this.d.followUps.dispatch({ kind: 'caller-enqueued', queueId: moved });
  }

  /** Everyone in `queueId` who must leave it now, in serving order so the most senior reach the target's agents first. */
  async sweepQueue(queueId: string): Promise<void> {
    const queue = this.d.rules.queue(queueId);
    if (queue.overflow === undefined) return;
    const now = this.d.clock.now();
    const moves = overflowSweep(queue, await this.d.store.waiting(queueId), now, await this.d.rules.view(queueId));
    const targets = new Set<string>();
    for (const { entry, decision } of moves) {
      if (!this.d.flows.holds(entry.callId)) continue;
      const to = await this.d.rt.serial.run(entry.callId, () => this.d.flows.move(entry.callId, queueId, decision.to, decision.reason));
      if (to !== null) targets.add(to);
    }
    for (const t of targets) await this.d.followUps.dispatch({ kind: 'caller-enqueued', queueId: t });
  }

  noAgentsLeft(queueId: string): Promise<void> {
    const peers = this.d.peers;
    peers?.publish({ type: 'sweep', from: peers.nodeId, queueId });
    return this.d.rt.tasks.track(this.sweepQueue(queueId), `no-agents sweep of ${queueId}`);
  }
}

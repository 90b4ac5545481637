/**
 * Each queue with an overflow target is watched for the changes of its schedule: when one closes
 * the queue, the callers this node holds there move on (AcdFollowUps.sweepQueue).
 */
import type { Clock } from '../../core/ports.js';
import type { TimerHandle } from '../timers.js';
import type { AcdRuntime } from './acd-runtime.js';
import type { AcdFollowUps } from './follow-ups.js';
import type { QueueRules } from './queue-rules.js';

export class ScheduleWatch {
  private readonly armed = new Map<string, TimerHandle>();

  constructor(
    private readonly rules: QueueRules, private readonly clock: Clock, private readonly rt: AcdRuntime,
    private readonly followUps: Pick<AcdFollowUps, 'sweepQueue'>,
  ) {}

  /** Every queue the rules have now, from now on (a reload calls it again: earlier watches end). */
  watchAll(): void {
    for (const h of this.armed.values()) this.rt.disarm(h);
    this.armed.clear();
    for (const id of this.rules.ids()) this.watch(id);
  }

  private watch(queueId: string): void {
    if (this.rt.isStopped || this.rules.queue(queueId).overflow === undefined) return;
    const change = this.rules.nextChange(queueId, this.clock.now());
    if (change === undefined) return;
    this.armed.set(queueId, this.rt.arm(change.at, `schedule change of ${queueId}`, async () => {
      // Re-armed first: a failing sweep must not end the watch.
      this.watch(queueId);
      if (!this.rules.isOpen(queueId, this.clock.now())) await this.followUps.sweepQueue(queueId);
    }));
  }
}

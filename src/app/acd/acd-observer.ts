/**
 * How anything outside the call path learns what happened in it: metrics, the agents' activity
 * log, the demo's simulated desk, benches. The call path states each step once, as an AcdEvent
 * (./acd-model.ts), and never knows who listens — it does not count, time or record anything
 * itself.
 */
import type { AcdEvent, AcdLog } from './acd-model.js';

export interface AcdObserver {
  /** Called synchronously at the step it describes; should not throw (guarded if it does). */
  onAcdEvent(event: AcdEvent): void;
}

/**
 * Several observers as one. Each is guarded on its own: one that throws is logged, and neither
 * the flow that emitted the event nor the observers after it are affected. Observers may be
 * added after the ACD exists (metrics read the ACD's views, so they are built after it).
 */
export class AcdObservers implements AcdObserver {
  private readonly list: AcdObserver[] = [];

  constructor(private readonly log: AcdLog, ...observers: (AcdObserver | undefined)[]) {
    for (const o of observers) if (o !== undefined) this.list.push(o);
  }

  add(observer: AcdObserver): void {
    this.list.push(observer);
  }

  onAcdEvent(event: AcdEvent): void {
    for (const o of this.list) {
      try {
        o.onAcdEvent(event);
      } catch (err) {
        this.log.error({ err, event: event.type }, 'acd: event observer threw');
      }
    }
  }
}

import type { FsEvent } from './codec/types.js';

export type ResyncReason = 'sequence-gap' | 'core-changed' | 'reconnected';

export interface ResyncSignal {
  reason: ResyncReason;
  /** For sequence gaps: the sequence we expected and the one we got. */
  expected?: number;
  got?: number;
  /** Events presumed lost (gap size). */
  lost?: number;
}

/**
 * Watches `Event-Sequence` on one connection. FreeSWITCH numbers every event it fires with one
 * core-wide counter, then drops events for a listener whose queue is full: a jump means we lost
 * events. A jump is only meaningful when the connection sees every event (`event … ALL`); with a
 * narrower subscription the counter skips the events we did not ask for, so `strictGaps` is
 * false and only Core-UUID changes (a FreeSWITCH restart) are reported.
 * An event older than the newest seen (FreeSWITCH may dispatch on several threads) is ignored
 * rather than treated as a restart: a restart always shows up as a new Core-UUID.
 */
export class SequenceTracker {
  private last: number | undefined;
  private coreUuid: string | undefined;

  constructor(private readonly strictGaps: boolean) {}

  /** Forget the position (after a reconnect the next event starts a new run). */
  reset(): void {
    this.last = undefined;
  }

  observe(event: FsEvent): ResyncSignal | undefined {
    const core = event.headers['Core-UUID'];
    let signal: ResyncSignal | undefined;
    if (core !== undefined) {
      if (this.coreUuid !== undefined && core !== this.coreUuid) signal = { reason: 'core-changed' };
      this.coreUuid = core;
    }
    const seq = event.sequence;
    if (seq === undefined) return signal;
    const last = this.last;
    if (last !== undefined && seq <= last && !signal) return undefined;
    this.last = seq;
    if (signal || last === undefined) return signal;
    if (this.strictGaps && seq !== last + 1) {
      return { reason: 'sequence-gap', expected: last + 1, got: seq, lost: seq - last - 1 };
    }
    return undefined;
  }
}

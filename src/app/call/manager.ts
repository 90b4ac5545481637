/**
 * Owns the call sessions. On shutdown `drain()` stops taking calls — a new one is handed straight
 * back to the dialplan unanswered, whose fallback reaches the 7×24 pool — and waits for the
 * calls in progress; at the deadline the ones still waiting are released the same way. Past the
 * node's capacity marks (the gate) a new call is released the same way too, and recorded.
 */
import { releasable } from '../../core/call/index.js';
import type { SessionNotice } from '../../core/transfer/index.js';
import { callOrigin } from '../../core/fs-nodes/index.js';
import type { Logger } from '../../lib/logger.js';
import type { TransferCalls, TransferableCall } from '../transfer/ports.js';
import { CallSession, type IncomingCall, type SessionDeps } from './session.js';

export interface DrainResult {
  /** Calls still in progress when drain returned (talking to an agent or a sub-center). */
  readonly remaining: number;
  /** Waiting calls handed back to the dialplan at the deadline. */
  readonly released: number;
}

/** Also the transfer service's view of the calls (TransferCalls). */
export class CallManager implements TransferCalls {
  private readonly sessions = new Map<string, CallSession>();
  private draining = false;
  private readonly log: Logger;

  constructor(private readonly deps: SessionDeps) {
    this.log = deps.logger.child({ component: 'calls' });
  }

  get active(): number {
    return this.sessions.size;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  session(callSid: string): CallSession | undefined {
    return this.sessions.get(callSid);
  }

  get(callSid: string): TransferableCall | undefined {
    return this.sessions.get(callSid)?.transferable;
  }

  byAgentLeg(agentUuid: string): TransferableCall | undefined {
    for (const s of this.sessions.values()) if (s.agentLeg === agentUuid) return s.transferable;
    return undefined;
  }

  takeOver(callSid: string): void {
    this.sessions.get(callSid)?.takeOver();
  }

  notify(callSid: string, notice: SessionNotice): void {
    this.sessions.get(callSid)?.transferNotice(notice);
  }

  /** Takes one call; resolves when it is over. */
  async accept(call: IncomingCall): Promise<void> {
    if (this.draining) {
      this.log.info({ fsUuid: call.media.uuid }, 'draining: call handed back to the dialplan');
      await call.media.release();
      return;
    }
    // Over capacity: routed (a rejected number is still refused), recorded as released, never answered.
    const admission = this.deps.gate?.decide(callOrigin(call.channelData));
    const session = new CallSession(call, this.deps);
    this.sessions.set(session.callSid, session);
    try {
      session.start(admission === undefined || admission.accept ? undefined : admission.reason);
      await session.finished;
    } finally {
      this.sessions.delete(session.callSid);
    }
  }

  /** Stops taking calls and waits up to `deadlineMs` for the calls in progress to finish. */
  async drain(deadlineMs: number): Promise<DrainResult> {
    this.draining = true;
    this.log.info({ active: this.sessions.size, deadlineMs }, 'draining calls');
    const { timers, clock } = this.deps;
    const allDone = Promise.all([...this.sessions.values()].map((s) => s.finished));
    let timedOut = false;
    await new Promise<void>((resolve) => {
      const h = timers.at(clock.now() + deadlineMs, () => { timedOut = true; resolve(); });
      void allDone.then(() => { timers.cancel(h); resolve(); });
    });
    let released = 0;
    if (timedOut) {
      for (const s of this.sessions.values()) {
        if (releasable(s.phase)) released += 1;
        s.release('shutdown');
      }
      // Let the releases reach the wire before the process goes.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const remaining = [...this.sessions.values()].filter((s) => s.phase !== 'done' && !releasable(s.phase)).length;
    this.log.info({ remaining, released }, 'drain finished');
    return { remaining, released };
  }
}

/**
 * The node's admission gate for new calls: reads the capacity sources, asks the pure `admit`,
 * counts what it accepted (the calls-per-second mark) and what it shed (by reason), logs shedding
 * at most once per interval, and tells /health while it sheds.
 */
import { SHED_REASONS, admit, callsPerSecondMark, type Admission, type CapacityMarks, type CapacityState, type FreeswitchLoad, type ShedReason } from '../../core/capacity/index.js';
import type { Clock } from '../../core/ports.js';
import type { Logger } from '../../lib/logger.js';

/** What the adapters measure. */
export interface CapacitySources {
  /** FreeSWITCH's sessions and limits; undefined while not known. A new reading is a new object. */
  freeswitch(): FreeswitchLoad | undefined;
  /** The event loop's recent delay, ms (p99 of the last window). */
  eventLoopDelayMs(): number;
}

/** CallManager's view: one decision per new call. */
export interface CallGate {
  decide(): Admission;
}

export interface LoadShedderOptions {
  /** At most one shedding log line per this interval (with the count of calls shed meanwhile). Default 10 s. */
  readonly logEveryMs?: number;
  /** /health stays degraded this long after the last shed call. Default 10 s. */
  readonly degradedForMs?: number;
}

export interface ShedHealth {
  readonly state: 'ok' | 'degraded';
  readonly detail: string;
}

const WINDOW_MS = 1000;

export class LoadShedder implements CallGate {
  private readonly accepted: number[] = [];
  private readonly counts = Object.fromEntries(SHED_REASONS.map((r) => [r, 0])) as Record<ShedReason, number>;
  private lastShed: { at: number; reason: ShedReason; detail: string } | undefined;
  /** The FreeSWITCH reading last seen, and the calls accepted since it was taken. */
  private reading: FreeswitchLoad | undefined;
  private acceptedSinceReading = 0;
  private lastLogAt = Number.NEGATIVE_INFINITY;
  private unlogged = 0;
  private readonly logEveryMs: number;
  private readonly degradedForMs: number;

  constructor(
    private readonly marks: CapacityMarks,
    private readonly sources: CapacitySources,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: LoadShedderOptions = {},
  ) {
    this.logEveryMs = opts.logEveryMs ?? 10_000;
    this.degradedForMs = opts.degradedForMs ?? 10_000;
  }

  decide(): Admission {
    const now = this.clock.now();
    const admission = admit(this.state(now), this.marks);
    if (admission.accept) {
      this.accepted.push(now);
      this.acceptedSinceReading += 1;
    } else {
      this.onShed(admission, now);
    }
    return admission;
  }

  /** Calls shed since start, by reason. */
  get shed(): Readonly<Record<ShedReason, number>> {
    return { ...this.counts };
  }

  get shedTotal(): number {
    return SHED_REASONS.reduce((n, r) => n + this.counts[r], 0);
  }

  /** Degraded while a mark is reached now, or a call was shed within degradedForMs. */
  health(): ShedHealth {
    const now = this.clock.now();
    const state = this.state(now);
    const admission = admit(state, this.marks);
    const recent = this.lastShed !== undefined && now - this.lastShed.at < this.degradedForMs ? this.lastShed : undefined;
    const total = this.shedTotal;
    if (!admission.accept) return { state: 'degraded', detail: `shedding new calls: ${admission.detail}; ${total} shed` };
    if (recent !== undefined) return { state: 'degraded', detail: `shed a call ${Math.round((now - recent.at) / 1000)} s ago: ${recent.detail}; ${total} shed` };
    const fs = state.freeswitch === undefined ? 'FreeSWITCH sessions unknown' : `${state.freeswitch.sessions}/${state.freeswitch.maxSessions} FreeSWITCH sessions`;
    const cps = callsPerSecondMark(this.marks, state.freeswitch);
    return {
      state: 'ok',
      detail: `${fs}, ${state.acceptedLastSecond}${cps > 0 ? `/${cps}` : ''} calls/s, event loop ${Math.round(state.eventLoopDelayMs)} ms; ${total} shed`,
    };
  }

  private state(now: number): CapacityState {
    while (this.accepted.length > 0 && (this.accepted[0] ?? now) <= now - WINDOW_MS) this.accepted.shift();
    // FreeSWITCH is read once a second: a call accepted since has a session the reading lacks.
    // Without this a surge overshoots the mark by a second of arrivals.
    const fs = this.sources.freeswitch();
    if (fs !== this.reading) {
      this.reading = fs;
      this.acceptedSinceReading = 0;
    }
    const freeswitch = fs === undefined ? undefined : { ...fs, sessions: fs.sessions + this.acceptedSinceReading };
    return { freeswitch, acceptedLastSecond: this.accepted.length, eventLoopDelayMs: this.sources.eventLoopDelayMs() };
  }

  private onShed(a: Extract<Admission, { accept: false }>, now: number): void {
    this.counts[a.reason] += 1;
    this.lastShed = { at: now, reason: a.reason, detail: a.detail };
    this.unlogged += 1;
    if (now - this.lastLogAt < this.logEveryMs) return;
    this.log.warn({ reason: a.reason, detail: a.detail, shedSinceLastLog: this.unlogged, shedTotal: this.shedTotal }, 'over capacity: new calls handed to the dialplan fallback');
    this.lastLogAt = now;
    this.unlogged = 0;
  }
}

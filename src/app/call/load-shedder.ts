/**
 * The node's admission gate for new calls: reads the capacity sources, asks the pure `admit`,
 * counts what it accepted (the calls-per-second mark) and what it shed (by reason), logs shedding
 * at most once per interval, and tells /health while it sheds.
 */
import { SHED_REASONS, admit, callsPerSecondMark, type Admission, type CapacityMarks, type CapacityState, type FreeswitchLoad, type ShedReason } from '../../core/capacity/index.js';
import type { CallOrigin } from '../../core/fs-nodes/index.js';
import type { Clock } from '../../core/ports.js';
import type { Logger } from '../../lib/logger.js';

/** What the adapters measure. */
export interface CapacitySources {
  /**
   * FreeSWITCH's sessions and limits; undefined while not known. A new reading is a new object.
   * Given a call's origin (several nodes): the load that call's node is under.
   */
  freeswitch(origin?: CallOrigin): FreeswitchLoad | undefined;
  /** The event loop's recent delay, ms (p99 of the last window). */
  eventLoopDelayMs(): number;
  /** The router's CPU time over the delay's window, as a share of one core. */
  routerCpuShare(): number;
}

/** CallManager's view: one decision per new call. */
export interface CallGate {
  /** `origin`: what the call's channel data says of its FreeSWITCH (which node's load counts). */
  decide(origin?: CallOrigin): Admission;
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
  /** Calls accepted since each FreeSWITCH reading was taken (one reading per node; a new one starts at 0). */
  private acceptedSinceReading = new WeakMap<FreeswitchLoad, number>();
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

  decide(origin?: CallOrigin): Admission {
    const now = this.clock.now();
    const fs = this.sources.freeswitch(origin);
    const admission = admit(this.state(now, fs), this.marks);
    if (admission.accept) {
      this.accepted.push(now);
      if (fs !== undefined) this.acceptedSinceReading.set(fs, (this.acceptedSinceReading.get(fs) ?? 0) + 1);
      // The episode is over: the calls shed since its last line would otherwise go unlogged
      // until the next episode, if one ever comes.
      if (this.unlogged > 0) this.logEpisodeEnd();
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
    const state = this.state(now, this.sources.freeswitch());
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

  private state(now: number, fs: FreeswitchLoad | undefined): CapacityState {
    while (this.accepted.length > 0 && (this.accepted[0] ?? now) <= now - WINDOW_MS) this.accepted.shift();
    // FreeSWITCH is read once a second: a call accepted since has a session the reading lacks.
    // Without this a surge overshoots the mark by a second of arrivals.
    const freeswitch = fs === undefined ? undefined : { ...fs, sessions: fs.sessions + (this.acceptedSinceReading.get(fs) ?? 0) };
    return { freeswitch, acceptedLastSecond: this.accepted.length, eventLoopDelayMs: this.sources.eventLoopDelayMs(), routerCpuShare: this.sources.routerCpuShare() };
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

  private logEpisodeEnd(): void {
    const last = this.lastShed;
    this.log.warn({ reason: last?.reason, detail: last?.detail, shedSinceLastLog: this.unlogged, shedTotal: this.shedTotal }, 'under capacity again: new calls taken');
    this.unlogged = 0;
  }
}

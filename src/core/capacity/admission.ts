/**
 * Whether a node takes one more call, from what it knows of its capacity. Pure: the measuring
 * (FreeSWITCH's `status`, the accept rate, the event loop's delay) is done by adapters.
 *
 * Shedding a new call costs it nothing it had: it is handed back to the dialplan unanswered,
 * whose fallback rings the 7×24 pool. Calls already in progress are never touched here.
 */

export type ShedReason = 'freeswitch-sessions' | 'calls-per-second' | 'event-loop-delay';

export const SHED_REASONS: readonly ShedReason[] = ['freeswitch-sessions', 'calls-per-second', 'event-loop-delay'];

/** Where shedding starts. A mark of 0 is switched off. */
export interface CapacityMarks {
  /** Share of FreeSWITCH's max-sessions (0–1) in use at which new calls are shed. */
  readonly freeswitchSessionsShare: number;
  /**
   * Calls accepted in the last second at which the next one is shed. `auto`: half FreeSWITCH's
   * sessions-per-second (a call is two sessions: the caller's and its agent's), off while unknown.
   */
  readonly callsPerSecond: number | 'auto';
  /**
   * The event loop's recent delay (p99, ms) at which new calls are shed — when the router itself
   * is busy (ROUTER_BUSY_CPU_SHARE). A delay with the CPU mostly idle is the router waiting for a
   * CPU others hold (a stalled or starved host): shedding would hand callers to the dialplan's
   * fallback, which costs the switch more, and rid the router of no work.
   */
  readonly eventLoopDelayMs: number;
}

/** The router's own CPU over the delay's window, as a share of one core, from which a delay is its own load. */
export const ROUTER_BUSY_CPU_SHARE = 0.75;

export interface FreeswitchLoad {
  readonly sessions: number;
  readonly maxSessions: number;
  /** switch.conf.xml sessions-per-second: FreeSWITCH refuses new sessions past it. */
  readonly sessionsPerSecondMax: number;
}

export interface CapacityState {
  /** undefined: not known (no inbound ESL, or its last reading is stale). */
  readonly freeswitch: FreeswitchLoad | undefined;
  readonly acceptedLastSecond: number;
  readonly eventLoopDelayMs: number;
  /** The router process's CPU time over the same window as the delay, as a share of one core. */
  readonly routerCpuShare: number;
}

export type Admission =
  | { readonly accept: true }
  | { readonly accept: false; readonly reason: ShedReason; readonly detail: string };

export function callsPerSecondMark(marks: CapacityMarks, fs: FreeswitchLoad | undefined): number {
  if (marks.callsPerSecond !== 'auto') return marks.callsPerSecond;
  return fs === undefined ? 0 : Math.floor(fs.sessionsPerSecondMax / 2);
}

/** The first mark reached, in order of how surely it means calls would fail. */
export function admit(state: CapacityState, marks: CapacityMarks): Admission {
  const fs = state.freeswitch;
  if (fs !== undefined && marks.freeswitchSessionsShare > 0 && fs.maxSessions > 0) {
    const limit = Math.floor(fs.maxSessions * marks.freeswitchSessionsShare);
    if (fs.sessions >= limit) {
      return { accept: false, reason: 'freeswitch-sessions', detail: `${fs.sessions} FreeSWITCH sessions, mark ${limit} of ${fs.maxSessions}` };
    }
  }
  const cps = callsPerSecondMark(marks, fs);
  if (cps > 0 && state.acceptedLastSecond >= cps) {
    return { accept: false, reason: 'calls-per-second', detail: `${state.acceptedLastSecond} calls accepted in the last second, mark ${cps}` };
  }
  if (marks.eventLoopDelayMs > 0 && state.eventLoopDelayMs >= marks.eventLoopDelayMs && state.routerCpuShare >= ROUTER_BUSY_CPU_SHARE) {
    return {
      accept: false, reason: 'event-loop-delay',
      detail: `event loop delay ${Math.round(state.eventLoopDelayMs)} ms, mark ${marks.eventLoopDelayMs} ms, router CPU ${Math.round(state.routerCpuShare * 100)}% of a core`,
    };
  }
  return { accept: true };
}

/**
 * The caller leg's settings the router relies on while it holds the call. The generated dialplan
 * sets them before `socket`, with the line's own variables, in one `multiset`: every dialplan
 * application costs FreeSWITCH a CHANNEL_EXECUTE and a CHANNEL_EXECUTE_COMPLETE event carrying
 * every channel variable, whether anyone listens or not (switch_core_session.c
 * switch_core_session_exec). The router reads them in the socket's channel data and sends a
 * `multiset` of its own only for those a dialplan did not set (one generated before this, or
 * written by hand).
 *
 * Why each (FreeSWITCH 1.10.12):
 * - hangup_after_bridge=false: the caller outlives the agent's hang-up (survey, re-queue, transfer);
 * - park_after_bridge=false: overrides older dialplans that set it true, which left the caller
 *   parked with nobody in control when the router died;
 * - continue_on_fail=true: a failed bridge returns to the router instead of hanging the caller up;
 * - playback_terminators=none: a key pressed during hold music does not end it;
 * - transfer_ringback: what an answered caller hears while an agent rings.
 */
export const DEFAULT_TRANSFER_RINGBACK = 'local_stream://moh';

export function callerLegSettings(ringback: string = DEFAULT_TRANSFER_RINGBACK): readonly (readonly [string, string])[] {
  return [
    ['hangup_after_bridge', 'false'], ['park_after_bridge', 'false'], ['continue_on_fail', 'true'],
    ['playback_terminators', 'none'], ['transfer_ringback', ringback],
  ];
}

/** Delimiters `multiset` can take (`^^<char>`), tried in this order. */
const DELIMITERS = ['|', '~', '`', ';', '#'];

/**
 * One `multiset` argument for several `name=value` settings (mod_dptools.c multiset_function:
 * `^^` then a one-character delimiter), or undefined when every delimiter occurs in some value.
 */
export function multisetArg(settings: readonly (readonly [string, string])[]): string | undefined {
  const items = settings.map(([k, v]) => `${k}=${v}`);
  const delimiter = DELIMITERS.find((d) => items.every((i) => !i.includes(d)));
  return delimiter === undefined ? undefined : `^^${delimiter}${items.join(delimiter)}`;
}

/** The applications that make these settings: one `multiset`, or a `set` each when no delimiter fits the values. */
export function settingsApplications(settings: readonly (readonly [string, string])[]): readonly (readonly [string, string])[] {
  const arg = multisetArg(settings);
  return arg === undefined ? settings.map(([k, v]) => ['set', `${k}=${v}`] as const) : [['multiset', arg]];
}

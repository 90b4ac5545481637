/**
 * FreeSWITCH's sessions and limits, read from `api status` on the inbound connection every
 * second. The body, as mod_commands.c status_function writes it (1.10):
 *
 *   UP 0 years, 0 days, 17 hours, …
 *   FreeSWITCH (Version 1.10.12 …) is ready
 *   8 session(s) since startup
 *   127 session(s) - peak 127, last 5min 253            switch_core_session_count()
 *   55 session(s) per Sec out of max 60, peak 55, …     last second's sessions, sessions-per-second
 *   1000 session(s) max                                  switch_core_session_limit(0) = max-sessions
 *   min idle cpu 0.00/97.71
 *
 * Both limits are enforced in switch_core_session_request_uuid ("Throttle Error!" past
 * sessions-per-second, "Over Session Limit!" past max-sessions): a call refused there never
 * reaches the dialplan, so the router sheds before FreeSWITCH has to.
 */
import type { FreeswitchLoad } from '../../core/capacity/index.js';

export function parseFreeswitchStatus(body: string): FreeswitchLoad | undefined {
  const sessions = /^(\d+) session\(s\) - peak/m.exec(body);
  const sps = /^\d+ session\(s\) per Sec out of max (\d+)/m.exec(body);
  const max = /^(\d+) session\(s\) max/m.exec(body);
  if (sessions === null || max === null) return undefined;
  return { sessions: Number(sessions[1]), maxSessions: Number(max[1]), sessionsPerSecondMax: sps === null ? 0 : Number(sps[1]) };
}

export interface StatusApi {
  api(command: string): Promise<string>;
}

export interface FreeswitchLoadOptions {
  readonly intervalMs?: number;
  /** A reading older than this is not trusted (the inbound connection is down): load unknown. */
  readonly staleMs?: number;
}

export class FreeswitchLoadPoller {
  private last: { load: FreeswitchLoad; at: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private readonly intervalMs: number;
  private readonly staleMs: number;

  constructor(private readonly esl: StatusApi, opts: FreeswitchLoadOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.staleMs = opts.staleMs ?? 5000;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.poll();
    this.timer = setInterval(() => this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  current(): FreeswitchLoad | undefined {
    if (this.last === undefined || Date.now() - this.last.at > this.staleMs) return undefined;
    return this.last.load;
  }

  /** One reading now (tests, and the first one at start). */
  async refresh(): Promise<void> {
    const load = parseFreeswitchStatus(await this.esl.api('status'));
    if (load !== undefined) this.last = { load, at: Date.now() };
  }

  private poll(): void {
    if (this.inFlight) return;
    this.inFlight = true;
    // Not connected / timed out: the last reading ages until it is stale.
    this.refresh().catch(() => undefined).finally(() => { this.inFlight = false; });
  }
}

/**
 * Waits for FreeSWITCH to come to rest before a rate step reads its CPU, so the step is not billed
 * for the teardown of the one before. No channels left is not enough: after the router's
 * overloaded 40/s step, with no channel left, FreeSWITCH still ran at 20–35 % of a core for
 * several seconds while hundreds of its threads ended (sampled each second), and
 * mod_callcenter's first step, row 4, came next. At rest it runs at 1–5 % of a core here.
 */
import { sleep } from '../child.js';
import { cpuSeconds } from '../proc-cpu.js';

export interface RestOptions {
  /** Share of one core under which a window counts as quiet. */
  readonly share: number;
  /** Quiet windows in a row that make rest. */
  readonly windows: number;
  readonly windowMs: number;
  readonly limitMs: number;
}

export const REST: RestOptions = { share: 0.1, windows: 2, windowMs: 1_000, limitMs: 90_000 };

export interface RestOutcome {
  readonly reached: boolean;
  readonly waitedMs: number;
  /** The last window's share of one core. */
  readonly share: number;
}

/** `cpu` returns a process's CPU seconds so far; `sleep` waits; both injected so the rule is testable. */
export async function untilAtRest(cpu: () => number, sleep: (ms: number) => Promise<void>, opts: RestOptions = REST): Promise<RestOutcome> {
  let before = cpu();
  let quiet = 0;
  let share = NaN;
  for (let waited = 0; waited < opts.limitMs;) {
    await sleep(opts.windowMs);
    waited += opts.windowMs;
    const now = cpu();
    share = (now - before) / (opts.windowMs / 1000);
    before = now;
    quiet = share < opts.share ? quiet + 1 : 0;
    if (quiet >= opts.windows) return { reached: true, waitedMs: waited, share };
  }
  return { reached: false, waitedMs: opts.limitMs, share };
}

/** untilAtRest for a live process. */
export function pidAtRest(pid: number): Promise<RestOutcome> {
  return untilAtRest(() => cpuSeconds(pid), sleep);
}

/**
 * A one-queue center for checking the simulator against queueing theory: the 7×24 pool only,
 * no wrap-up, no announcements, no prompt, no short-abandon threshold, agents answer at once.
 */
import { resolveProfile, type ProfileFile, type SimProfile } from '../../../src/app/sim/profile.js';
import type { Registry } from '../../../src/config/schema.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { cityRegistry, queue, shanghai } from '../../support/registry-builder.js';

export const DATE = '2026-03-10';
export const DAY_START = shanghai(`${DATE} 00:00`);

export function oneQueue(): Registry {
  const r = cityRegistry();
  r.queues = { pool: queue('pool', '24x7', { wrapUpSeconds: 0, announceEverySeconds: 0, maxLength: 100_000, maxWaitSeconds: 3600 }) };
  r.hotline = { ...r.hotline, queue: 'pool', poolQueue: 'pool', shortAbandonSeconds: 0 };
  delete (r.hotline as { welcomePrompt?: string }).welcomePrompt;
  r.lines = [];
  r.agents = [];
  return r;
}

/** λ calls an hour for `hours` hours from midnight, n agents, exponential talk, optional exponential patience. */
export function mmn(perHour: number, hours: number, agents: number, handleSeconds: number, patienceSeconds?: number): SimProfile {
  const file: ProfileFile = {
    arrivals: { '12345': Array.from({ length: 24 }, (_, h) => (h < hours ? perHour : 0)) },
    handle: { dist: 'exponential', mean: handleSeconds },
    ...(patienceSeconds === undefined ? {} : { patience: { dist: 'exponential', mean: patienceSeconds } }),
    staffing: { pool: agents },
    agents: { answerSeconds: 0, noAnswerRate: 0 },
    promptSeconds: 0,
    surveySeconds: 0,
  };
  return resolveProfile(file);
}

export interface Observed {
  readonly pWait: number;
  readonly pAbandon: number;
  /** answered within t ÷ offered */
  readonly serviceLevel: number;
  readonly asa: number;
}

/** Figures of the calls that arrived after the warm-up. */
export function observe(records: readonly CallRecord[], warmUpMs: number, t: number): Observed {
  const calls = records.filter((r) => r.arrivedAt >= DAY_START + warmUpMs && r.outcome !== 'rejected');
  const answered = calls.filter((r) => r.outcome === 'answered');
  const waits = answered.map((r) => r.waitSeconds ?? 0);
  return {
    pWait: calls.filter((r) => (r.waitSeconds ?? 0) > 0).length / calls.length,
    pAbandon: calls.filter((r) => r.outcome === 'abandoned' || r.outcome === 'short-abandoned').length / calls.length,
    serviceLevel: waits.filter((w) => w <= t).length / calls.length,
    asa: waits.reduce((a, b) => a + b, 0) / waits.length,
  };
}

/**
 * Several independent days (seed, seed+1, …) and, for every figure, the mean and the half-width
 * of its 95 % confidence interval over them.
 */
import type { Registry } from '../../config/schema.js';
import { estimate, type Estimate } from '../../core/staffing/index.js';
import type { Logger } from '../../lib/logger.js';
import { simulateDay, type SimInput } from './engine.js';
import { dayFigures, type DayFigures, type FigureSet, type Figures } from './figures.js';
import type { SimProfile } from './profile.js';

export type FigureEstimates = { readonly [K in keyof Figures]-?: Estimate | null };

export interface EstimateSet {
  readonly total: FigureEstimates;
  readonly queues: Readonly<Record<string, FigureEstimates>>;
  readonly lines: Readonly<Record<string, FigureEstimates>>;
}

export interface Simulation {
  readonly date: string;
  readonly seed: number;
  readonly replications: number;
  readonly calls: number;
  readonly events: number;
  readonly unfinished: number;
  readonly day: EstimateSet;
  readonly hours: readonly EstimateSet[];
  readonly runs: readonly DayFigures[];
}

export interface SimulationRequest {
  readonly registry: Registry;
  readonly newStore: SimInput['newStore'];
  readonly profile: SimProfile;
  readonly seed: number;
  readonly date: string;
  readonly replications: number;
  readonly logger: Logger;
  readonly onProgress?: (fraction: number) => void;
}

const KEYS: readonly (keyof Figures)[] = [
  'offered', 'answered', 'abandoned', 'shortAbandoned', 'overflowed', 'serviceLevel', 'answerRate', 'asa', 'waitP50', 'waitP90', 'occupancy',
];

function estimates(list: readonly (Figures | undefined)[]): FigureEstimates {
  const out: Record<string, Estimate | null> = {};
  for (const k of KEYS) out[k] = estimate(list.map((f) => f?.[k] ?? null));
  return out as FigureEstimates;
}

function combine(sets: readonly FigureSet[]): EstimateSet {
  const first = sets[0];
  const keys = (pick: (s: FigureSet) => Readonly<Record<string, Figures>>) => Object.keys(first === undefined ? {} : pick(first));
  return {
    total: estimates(sets.map((s) => s.total)),
    queues: Object.fromEntries(keys((s) => s.queues).map((q) => [q, estimates(sets.map((s) => s.queues[q]))])),
    lines: Object.fromEntries(keys((s) => s.lines).map((l) => [l, estimates(sets.map((s) => s.lines[l]))])),
  };
}

export async function simulate(req: SimulationRequest): Promise<Simulation> {
  const runs: DayFigures[] = [];
  let calls = 0;
  let events = 0;
  let unfinished = 0;
  for (let i = 0; i < req.replications; i += 1) {
    const run = await simulateDay({
      registry: req.registry, profile: req.profile, newStore: req.newStore, seed: req.seed + i, date: req.date, logger: req.logger,
      ...(req.onProgress === undefined ? {} : { onProgress: (f: number) => req.onProgress?.((i + f) / req.replications) }),
    });
    calls += run.records.length;
    events += run.events;
    unfinished += run.unfinished;
    runs.push(dayFigures(req.registry, run.records, run.occupancy));
  }
  return {
    date: req.date, seed: req.seed, replications: req.replications, calls, events, unfinished,
    day: combine(runs.map((r) => r.day)),
    hours: Array.from({ length: 24 }, (_, h) => combine(runs.map((r) => r.hours[h] as FigureSet))),
    runs,
  };
}

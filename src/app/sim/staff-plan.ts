/**
 * `hotline staff`: the fewest agents per queue and hour that meet each queue's targets.
 *
 *  1. Erlang: the profile's callers are routed by the real routing table at the middle of each
 *     hour (schedules and holidays apply), giving each queue's offered load per hour; Erlang A
 *     (Erlang C when callers never give up) gives the fewest agents for the targets.
 *  2. The simulator checks that plan on the router's own ACD — overflow, skills and the metrics'
 *     exact definitions included — and adds an agent wherever an hour misses a target, for a
 *     few rounds.
 * A queue receiving overflow counts its callers' wait from their first queue (the metrics'
 * rule): an overflowed caller has already waited maxWaitSeconds, so such a queue's service level
 * is reported but only its answer rate is corrected — more agents there cannot undo that wait.
 */
import type { Registry } from '../../config/schema.js';
import { buildRoutingTable, route } from '../../core/routing/index.js';
import { fewestAgents, meanOf, type QueueFigures, type StaffingTargets } from '../../core/staffing/index.js';
import type { Logger } from '../../lib/logger.js';
import { parseIsoDate, zoneOf } from '../../core/schedule/index.js';
import type { SimProfile } from './profile.js';
import { simulate, type Simulation, type SimulationRequest } from './replications.js';

export const DEFAULT_TARGETS = { serviceLevel: 0.8, answerRate: 0.95 } as const;

export interface StaffRequest {
  readonly registry: Registry;
  readonly newStore: SimulationRequest['newStore'];
  readonly profile: SimProfile;
  readonly date: string;
  readonly seed: number;
  /** replications of each simulated check */
  readonly replications: number;
  /** simulated correction rounds (0: Erlang only) */
  readonly rounds: number;
  readonly logger: Logger;
  /** overrides of every queue's registry targets */
  readonly targets?: Partial<Pick<StaffingTargets, 'serviceLevel' | 'answerRate'>>;
  readonly onProgress?: (fraction: number) => void;
}

export interface HourPlan {
  readonly agents: number;
  /** Erlang's figure for the first-guess agent count */
  readonly erlangAgents: number;
  /** calls an hour offered to the queue by the profile's routing (no overflow) */
  readonly offeredPerHour: number;
  readonly erlang: QueueFigures;
  /** measured in the last simulated check (means over replications); null when nothing was offered */
  readonly simulated: { readonly serviceLevel: number | null; readonly answerRate: number | null; readonly asa: number | null; readonly offered: number } | null;
  readonly met: boolean;
}

export interface StaffPlan {
  readonly date: string;
  readonly targets: Readonly<Record<string, StaffingTargets>>;
  readonly queues: Readonly<Record<string, readonly HourPlan[]>>;
  readonly rounds: number;
  readonly simulation: Simulation | null;
}

const HOUR = 3_600_000;

/** Calls an hour each queue is offered first (before any overflow), by routing each line. */
export function offeredLoad(registry: Registry, profile: SimProfile, date: string): Record<string, number[]> {
  const table = buildRoutingTable(registry);
  const zone = zoneOf(registry.hotline.timeZone);
  const dayStart = zone.instantOf(parseIsoDate(date) * 86_400_000);
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(registry.queues).map((q) => [q, Array.from({ length: 24 }, () => 0)]));
  for (const [line, perHour] of Object.entries(profile.arrivals)) {
    perHour.forEach((rate, h) => {
      if (rate <= 0) return;
      const d = route({ to: line }, table, dayStart + h * HOUR + HOUR / 2);
      // Sub-center lines are answered by the sub-center; only its failures reach a queue.
      if (d.kind !== 'queue') return;
      const row = out[d.queue];
      if (row !== undefined) row[h] = (row[h] ?? 0) + rate;
    });
  }
  return out;
}

function targetsOf(req: StaffRequest): Record<string, StaffingTargets> {
  return Object.fromEntries(Object.entries(req.registry.queues).map(([id, q]) => [id, {
    serviceLevel: req.targets?.serviceLevel ?? q.targets?.serviceLevel ?? DEFAULT_TARGETS.serviceLevel,
    answerRate: req.targets?.answerRate ?? q.targets?.answerRate ?? DEFAULT_TARGETS.answerRate,
    serviceLevelSeconds: q.serviceLevelSeconds,
  }]));
}

export async function planStaff(req: StaffRequest): Promise<StaffPlan> {
  const { registry, profile } = req;
  const targets = targetsOf(req);
  const load = offeredLoad(registry, profile, req.date);
  const patience = profile.patience === undefined ? undefined : meanOf(profile.patience);
  const erlang: Record<string, { agents: number; f: QueueFigures }[]> = {};
  for (const [q, perHour] of Object.entries(load)) {
    const queue = registry.queues[q];
    const t = targets[q];
    if (queue === undefined || t === undefined) continue;
    const handle = meanOf(profile.handleByQueue[q] ?? profile.handle) + queue.wrapUpSeconds;
    erlang[q] = perHour.map((rate) => {
      const s = fewestAgents({ lambda: rate / 3600, handleSeconds: handle, patienceSeconds: patience }, t);
      return { agents: s.agents, f: s.predicted };
    });
  }
  const staffing: Record<string, number[]> = Object.fromEntries(Object.entries(erlang).map(([q, hs]) => [q, hs.map((h) => h.agents)]));

  const overflowTargets = new Set(Object.values(registry.queues).flatMap((q) => (q.overflow === undefined ? [] : [q.overflow])));
  let simulation: Simulation | null = null;
  let rounds = 0;
  const totalSteps = Math.max(1, req.rounds);
  for (let round = 0; round < req.rounds; round += 1) {
    rounds = round + 1;
    simulation = await simulate({
      registry, newStore: req.newStore, profile: { ...profile, staffing }, seed: req.seed, date: req.date, replications: req.replications, logger: req.logger,
      ...(req.onProgress === undefined ? {} : { onProgress: (f: number) => req.onProgress?.((round + f) / totalSteps) }),
    });
    let changed = false;
    for (const [q, perHour] of Object.entries(staffing)) {
      const t = targets[q];
      if (t === undefined) continue;
      perHour.forEach((n, h) => {
        const m = simulation?.hours[h]?.queues[q];
        if (m === undefined || (m.offered?.mean ?? 0) <= 0) return;
        const sl = overflowTargets.has(q) ? null : m.serviceLevel?.mean ?? null;
        const ar = m.answerRate?.mean ?? null;
        const short = (sl !== null && sl < t.serviceLevel) || (ar !== null && ar < t.answerRate);
        // Calls only reach a queue with someone logged in; an hour missed by far gets more than one.
        if (short) {
          const gap = Math.max(t.serviceLevel - (sl ?? t.serviceLevel), t.answerRate - (ar ?? t.answerRate));
          perHour[h] = Math.max(1, n + Math.max(1, Math.round(gap * 10)));
          changed = true;
        }
      });
    }
    if (!changed) break;
  }
  if (simulation !== null && rounds === req.rounds) {
    // The last round changed the plan: measure the plan that is printed.
    simulation = await simulate({ registry, newStore: req.newStore, profile: { ...profile, staffing }, seed: req.seed, date: req.date, replications: req.replications, logger: req.logger });
  }
  req.onProgress?.(1);

  const queues: Record<string, HourPlan[]> = {};
  for (const [q, perHour] of Object.entries(staffing)) {
    const t = targets[q];
    queues[q] = perHour.map((agents, h) => {
      const e = erlang[q]?.[h] ?? { agents: 0, f: { pWait: 0, pAbandon: 0, serviceLevel: 1, answerRate: 1, asa: 0, occupancy: 0 } };
      const m = simulation?.hours[h]?.queues[q];
      const sim = m === undefined || (m.offered?.mean ?? 0) <= 0 ? null : {
        serviceLevel: m.serviceLevel?.mean ?? null, answerRate: m.answerRate?.mean ?? null, asa: m.asa?.mean ?? null, offered: m.offered?.mean ?? 0,
      };
      const slCounts = !overflowTargets.has(q);
      const met = t === undefined ? true : sim === null
        ? e.f.serviceLevel >= t.serviceLevel && e.f.answerRate >= t.answerRate
        : (!slCounts || (sim.serviceLevel ?? 1) >= t.serviceLevel) && (sim.answerRate ?? 1) >= t.answerRate;
      return { agents, erlangAgents: e.agents, offeredPerHour: load[q]?.[h] ?? 0, erlang: e.f, simulated: sim, met };
    });
  }
  return { date: req.date, targets, queues, rounds, simulation };
}

/**
 * The fewest agents that meet a queue's targets for one interval, by Erlang A (Erlang C when
 * callers never give up): the first guess of a staffing plan, before the simulator checks it.
 */
import { erlangAFigures, type QueueFigures } from './erlang.js';

export interface StaffingTargets {
  /** answered within serviceLevelSeconds ÷ arrivals, 0..1 */
  readonly serviceLevel: number;
  /** answered ÷ arrivals, 0..1 */
  readonly answerRate: number;
  readonly serviceLevelSeconds: number;
}

export interface Load {
  /** calls per second */
  readonly lambda: number;
  /** mean handle time (talk + wrap-up), seconds */
  readonly handleSeconds: number;
  /** mean patience, seconds; undefined: callers never give up (Erlang C) */
  readonly patienceSeconds?: number | undefined;
}

export interface Staffed {
  readonly agents: number;
  readonly predicted: QueueFigures;
}

export function figuresFor(load: Load, agents: number, serviceLevelSeconds: number): QueueFigures {
  const theta = load.patienceSeconds === undefined ? 0 : 1 / load.patienceSeconds;
  return erlangAFigures(load.lambda, 1 / load.handleSeconds, theta, agents, serviceLevelSeconds);
}

export function meets(f: QueueFigures, targets: StaffingTargets): boolean {
  return f.serviceLevel >= targets.serviceLevel && f.answerRate >= targets.answerRate;
}

/** Fewest agents (≤ maxAgents) meeting the targets; maxAgents when even that falls short. */
export function fewestAgents(load: Load, targets: StaffingTargets, maxAgents = 5_000): Staffed {
  if (load.lambda <= 0) return { agents: 0, predicted: figuresFor(load, 0, targets.serviceLevelSeconds) };
  // Below the offered load a queue without abandonment is unstable: start the search there.
  let n = Math.max(1, Math.floor(load.lambda * load.handleSeconds));
  for (; n < maxAgents; n += 1) {
    const f = figuresFor(load, n, targets.serviceLevelSeconds);
    if (meets(f, targets)) return { agents: n, predicted: f };
  }
  return { agents: maxAgents, predicted: figuresFor(load, maxAgents, targets.serviceLevelSeconds) };
}

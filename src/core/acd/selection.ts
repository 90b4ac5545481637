/**
 * Agent selection for one queue: skill match, then the queue's policy.
 * Linear in the number of candidates (a scan for the minimum, no sort) because it runs
 * on every dispatch; `rankAgents` sorts for callers that want the whole order. Loops are
 * indexed: a for…of here left an iterator result per candidate and skill as garbage.
 */
import type { AcdQueue, AgentProfile, AgentSnapshot } from './types.js';

/** Serves the queue and holds every skill the queue requires (any level). */
export function isEligible(agent: AgentProfile, queue: Pick<AcdQueue, 'id' | 'skills'>): boolean {
  if (!agent.queues.includes(queue.id)) return false;
  const skills = queue.skills;
  for (let i = 0; i < skills.length; i += 1) {
    const skill = skills[i];
    if (skill !== undefined && (agent.skills[skill] ?? 0) < 1) return false;
  }
  return true;
}

/** Sum of the agent's levels in the queue's skills: the "skill" in skill-then-longest-idle. */
export function skillScore(agent: AgentProfile, skills: readonly string[]): number {
  let sum = 0;
  for (let i = 0; i < skills.length; i += 1) {
    const skill = skills[i];
    if (skill !== undefined) sum += agent.skills[skill] ?? 0;
  }
  return sum;
}

/** Negative when `a` should get the call before `b`. Ties end on id so the order is total. */
export function compareAgents(queue: Pick<AcdQueue, 'skills' | 'selection'>, a: AgentSnapshot, b: AgentSnapshot): number {
  if (queue.selection === 'skill-then-longest-idle') {
    const d = skillScore(b, queue.skills) - skillScore(a, queue.skills);
    if (d !== 0) return d;
  }
  return compareIdle(a, b);
}

/** Longest idle first, then id. */
function compareIdle(a: AgentSnapshot, b: AgentSnapshot): number {
  // An agent without idleSince (should not happen for a ready agent) goes last.
  const ia = a.idleSince ?? Number.POSITIVE_INFINITY;
  const ib = b.idleSince ?? Number.POSITIVE_INFINITY;
  if (ia !== ib) return ia < ib ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * `selectAgent`'s choice made one candidate at a time: a store feeds it from its own ready index
 * without first copying the candidates into a list. Each candidate's score is computed once.
 */
export class AgentChoice {
  private chosen: AgentSnapshot | null = null;
  private chosenScore = 0;
  private readonly bySkill: boolean;

  constructor(private readonly queue: Pick<AcdQueue, 'id' | 'skills' | 'selection'>) {
    this.bySkill = queue.selection === 'skill-then-longest-idle';
  }

  /** Considers `agent`: kept when it is ready, eligible and better than the best so far. */
  offer(agent: AgentSnapshot): void {
    if (agent.state.status !== 'ready' || !isEligible(agent, this.queue)) return;
    const score = this.bySkill ? skillScore(agent, this.queue.skills) : 0;
    const best = this.chosen;
    if (best === null || score > this.chosenScore || (score === this.chosenScore && compareIdle(agent, best) < 0)) {
      this.chosen = agent;
      this.chosenScore = score;
    }
  }

  get best(): AgentSnapshot | null {
    return this.chosen;
  }
}

/** The best ready, eligible agent among `candidates`, or null: `compareAgents`' first. */
export function selectAgent(queue: Pick<AcdQueue, 'id' | 'skills' | 'selection'>, candidates: readonly AgentSnapshot[]): AgentSnapshot | null {
  const choice = new AgentChoice(queue);
  // Indexed, not for…of: no iterator result per candidate on this per-caller path.
  for (let i = 0; i < candidates.length; i += 1) {
    const agent = candidates[i];
    if (agent !== undefined) choice.offer(agent);
  }
  return choice.best;
}

/** Every ready, eligible agent, best first. */
export function rankAgents(queue: AcdQueue, candidates: Iterable<AgentSnapshot>): AgentSnapshot[] {
  const out: AgentSnapshot[] = [];
  for (const agent of candidates) {
    if (agent.state.status === 'ready' && isEligible(agent, queue)) out.push(agent);
  }
  return out.sort((a, b) => compareAgents(queue, a, b));
}

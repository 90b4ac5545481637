/**
 * The registry a simulation runs on. With a staffing plan, the registry's agents are replaced by
 * synthetic ones: per queue as many as its busiest hour needs, each serving that queue only,
 * with every skill the queue asks for (level 5). Without one, the registry's own agents work all day.
 */
import type { Agent, Registry } from '../../config/schema.js';
import type { DeskPlan } from './desk.js';
import { ProfileError, type SimProfile } from './profile.js';

export interface SimStaff {
  readonly registry: Registry;
  readonly plan: DeskPlan;
  readonly agentOfDial: ReadonlyMap<string, string>;
  readonly queuesOf: (agentId: string) => readonly string[];
}

export function simStaff(registry: Registry, profile: SimProfile): SimStaff {
  let agents: Agent[];
  let plan: DeskPlan;
  if (profile.staffing === null) {
    agents = registry.agents;
    const all = agents.map((a) => a.id);
    plan = { queues: [{ agents: all, perHour: Array.from({ length: 24 }, () => all.length) }] };
  } else {
    agents = [];
    const queues: DeskPlan['queues'][number][] = [];
    for (const [queueId, perHour] of Object.entries(profile.staffing)) {
      const queue = registry.queues[queueId];
      if (queue === undefined) throw new ProfileError(`staffing: no queue "${queueId}" in the registry`);
      const ids: string[] = [];
      const most = Math.max(0, ...perHour);
      for (let i = 1; i <= most; i += 1) {
        const id = `sim-${queueId}-${i}`;
        ids.push(id);
        agents.push({ id, name: `${queue.name} #${i}`, dial: `sim/${id}`, skills: Object.fromEntries(queue.skills.map((s) => [s, 5])), queues: [queueId] });
      }
      queues.push({ agents: ids, perHour });
    }
    plan = { queues };
  }
  const byId = new Map(agents.map((a) => [a.id, a.queues]));
  return {
    registry: { ...registry, agents },
    plan,
    agentOfDial: new Map(agents.map((a) => [a.dial, a.id])),
    queuesOf: (id) => byId.get(id) ?? [],
  };
}

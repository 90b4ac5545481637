/**
 * Queue topology and staffing: overflow must terminate in the 7×24 pool, which is always open,
 * and agents must have the skills of the queues they are put in.
 */
import type { Reporter } from './reporter.js';
import type { SemanticInput } from './semantic-input.js';

export function checkOverflowCycles(input: SemanticInput, r: Reporter): void {
  const reported = new Set<string>();
  for (const start of input.queues.keys()) {
    const chain: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && !chain.includes(current)) {
      chain.push(current);
      current = input.queues.get(current)?.overflow;
    }
    if (current === undefined) continue;
    const cycle = chain.slice(chain.indexOf(current));
    const key = [...cycle].sort().join(' ');
    if (reported.has(key)) continue;
    reported.add(key);
    // Report at the member written first, showing the loop from there.
    const first = [...input.queues.keys()].find((id) => cycle.includes(id)) ?? current;
    const from = cycle.indexOf(first);
    const loop = [...cycle.slice(from), ...cycle.slice(0, from), first];
    r.report(['queues', first, 'overflow'], `overflow cycle: ${loop.join(' → ')}`, {
      hint: `callers would circle forever; end the chain in the 7×24 pool "${input.hotline.poolQueue}"`,
    });
  }
}

export function checkPoolQueue(input: SemanticInput, r: Reporter): void {
  const id = input.hotline.poolQueue;
  const pool = input.queues.get(id);
  if (pool === undefined) return;
  if (pool.overflow !== undefined) {
    r.report(['queues', id, 'overflow'], `the 7×24 pool "${id}" must not overflow`, { hint: 'every overflow ends in the pool; remove this key' });
  }
  const schedule = input.schedules.get(pool.schedule);
  if (schedule !== undefined && schedule.alwaysOpen !== true) {
    const always = [...input.schedules].filter(([, s]) => s.alwaysOpen === true).map(([sid]) => sid);
    r.report(['queues', id, 'schedule'], `the 7×24 pool "${id}" uses schedule "${pool.schedule}", which is not alwaysOpen`, {
      hint: always.length > 0 ? `use ${always.map((s) => `"${s}"`).join(' or ')}` : 'use a schedule with alwaysOpen: true (policy: a human answers 7×24)',
    });
  }
}

export function checkAgentSkills(input: SemanticInput, r: Reporter): void {
  for (const { index, value: agent } of input.agents) {
    agent.queues.forEach((queueId, j) => {
      const queue = input.queues.get(queueId);
      const missing = queue?.skills.filter((skill) => !Object.hasOwn(agent.skills, skill)) ?? [];
      if (missing.length === 0) return;
      const quoted = missing.map((s) => `"${s}"`).join(', ');
      r.report(['agents', index, 'queues', j], `agent ${agent.id} (${agent.name}) lacks skill ${quoted} needed by queue "${queueId}"`, {
        hint: `add ${missing.map((s) => `${s}: 5`).join(', ')} to the agent's skills, or take the queue out of its list`,
      });
    });
  }
}

/**
 * A queue that calls are sent to directly but nobody serves is a warning, not an error: its
 * calls still overflow to the pool. Queues only reached by overflow are not flagged.
 */
export function checkUnstaffedQueues(input: SemanticInput, r: Reporter): void {
  const entry = new Set<string>([input.hotline.queue, input.hotline.poolQueue]);
  for (const { value: line } of input.lines) entry.add(line.mode === 'subcenter' ? line.subcenter.overflowQueue : line.queue);
  const served = new Set(input.agents.flatMap(({ value }) => value.queues));
  for (const id of input.queues.keys()) {
    if (!entry.has(id) || served.has(id)) continue;
    r.report(['queues', id], `no agent serves queue "${id}"`, {
      severity: 'warning',
      anchor: 'key',
      hint: id === input.hotline.poolQueue ? 'the 7×24 pool must have agents around the clock' : 'its calls can only overflow; add the queue to some agents',
    });
  }
}

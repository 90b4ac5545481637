/**
 * Waiting in line (docs/architecture.md, call path steps 4–5): hold music, position / wait announcements every N
 * seconds, overflow notices, ringing a reserved agent. Announcements never delay a connection:
 * an assignment breaks whatever is playing before the bridge is sent.
 */
import { announceTimer, ignore, to } from './initial.js';
import { next } from './next-state.js';
import type { CallCommand, CallEvent, CallState, QueueNotice, Transition } from './types.js';

export function onEnqueuing(s: CallState, e: CallEvent): Transition {
  if (e.kind === 'enqueued') {
    const hops = [...s.hops, ...e.skipped.map((k) => ({ queue: k.queueId, reason: k.reason, entered: false }))];
    const queued = next(s, { phase: 'queued', queueId: e.queueId, position: e.position, hops });
    return to(queued, ...announceTimer(queued, e.queueId, e.at));
  }
  if (e.kind === 'queue-notice') return onNotice(s, e.notice, e.at);
  return ignore(s);
}

export function onQueued(s: CallState, e: CallEvent): Transition {
  switch (e.kind) {
    case 'timer':
      if (e.name !== 'announce' || s.statusPending) return ignore(s);
      return to(next(s, { statusPending: true }), { kind: 'acd-status' });
    case 'wait-status': {
      const settled = { statusPending: false };
      if (e.status === null || s.holding !== 'hold') return to(next(s, settled), ...announceTimer(s, s.queueId, e.at));
      const media = s.media + 1;
      return to(next(s, settled, { media, holding: 'announcement', position: e.status.position }),
        { kind: 'break-media' },
        { kind: 'play', media, prompts: [{ kind: 'announcement', position: e.status.position, minutes: e.status.minutes }] },
        ...announceTimer(s, s.queueId, e.at));
    }
    case 'media-done': {
      if (e.media !== s.media || s.holding !== 'announcement') return ignore(s);
      const media = s.media + 1;
      return to(next(s, { media, holding: 'hold' }), { kind: 'hold', media });
    }
    case 'queue-notice':
      return onNotice(s, e.notice, e.at);
    default:
      return ignore(s);
  }
}

function onNotice(s: CallState, n: QueueNotice, at: number): Transition {
  if (n.kind === 'overflowed') {
    // Seniority is kept by the ACD; the caller just keeps hearing music, announced on the new queue's cadence.
    const moved = next(s, { queueId: n.to, hops: [...s.hops, { queue: n.from, reason: n.reason, entered: true }] });
    if (s.phase !== 'queued' || moved.holding !== 'hold') return to(moved);
    return to(moved, { kind: 'cancel-timer', name: 'announce' }, ...announceTimer(moved, n.to, at));
  }
  const agent = { id: n.agent.id, name: n.agent.name, dial: n.agent.dial, queueId: n.queueId, ringSeconds: n.ringSeconds };
  const commands: CallCommand[] = [
    { kind: 'cancel-timer', name: 'announce' },
    { kind: 'break-media' },
    { kind: 'bridge', target: 'agent', dial: agent.dial, ringSeconds: agent.ringSeconds },
  ];
  return to(next(s, {
    phase: 'ringing-agent', queueId: n.queueId, holding: undefined, statusPending: false, agent,
    agentsTried: [...s.agentsTried, agent.id],
  }), ...commands);
}

export function onRingingAgent(s: CallState, e: CallEvent): Transition {
  const agent = s.agent;
  if (agent === undefined) return ignore(s);
  switch (e.kind) {
    case 'bridge-answered':
      return to(next(s, { phase: 'bridged', connectedAt: e.at, agentId: agent.id, outcome: 'answered' }),
        { kind: 'acd-agent-answered', agentId: agent.id });
    case 'bridge-failed': {
      // The ACD puts the agent not-ready and the caller back at the old position; music resumes.
      const media = s.media + 1;
      const back = next(s, { phase: 'queued', agent: undefined, media, holding: 'hold' });
      return to(back, { kind: 'acd-agent-no-answer', agentId: agent.id }, { kind: 'hold', media }, ...announceTimer(back, s.queueId, e.at));
    }
    case 'queue-notice':
      return e.notice.kind === 'overflowed' ? onNotice(s, e.notice, e.at) : ignore(s);
    case 'wait-status':
      return to(next(s, { statusPending: false }));
    default:
      return ignore(s);
  }
}

/** Read models for the agent API and the wall board, assembled from the store and the registry. */
import type { AcdStore } from '../../core/acd/store-port.js';
import type { AgentSnapshot } from '../../core/acd/types.js';
import type { AgentView, QueueView, WaitingCallView } from './acd-model.js';
import type { QueueRules } from './queue-rules.js';

export interface Contact {
  readonly id: string;
  readonly name: string;
  readonly dial: string;
}

export function agentView(a: AgentSnapshot, contact: Contact): AgentView {
  const s = a.state;
  const base = { id: a.id, name: contact.name, dial: contact.dial, queues: a.queues, status: s.status, since: a.since };
  switch (s.status) {
    case 'not-ready':
      return { ...base, reason: s.reason };
    case 'reserved':
    case 'ringing':
    case 'on-call':
      return { ...base, callId: s.callId, queueId: s.queueId };
    case 'wrap-up':
      return { ...base, callId: s.callId, queueId: s.queueId, wrapUpUntil: s.until };
    default:
      return base;
  }
}

const seconds = (ms: number): number => Math.max(0, Math.floor(ms / 1000));

export async function queueViews(store: AcdStore, rules: QueueRules, now: number): Promise<QueueView[]> {
  const out: QueueView[] = [];
  for (const id of rules.ids()) {
    const q = rules.queue(id);
    const waiting = await store.waiting(id);
    const oldest = waiting.reduce<number | null>((min, e) => (min === null || e.seniority < min ? e.seniority : min), null);
    out.push({
      id, name: q.name, open: rules.isOpen(id, now), ...(q.overflow === undefined ? {} : { overflow: q.overflow }),
      waiting: waiting.length, oldestWaitSeconds: oldest === null ? null : seconds(now - oldest),
      agents: await store.agentCounts(id),
    });
  }
  return out;
}

export type CallerLookup = (callId: string) => { readonly line: string; readonly caller: string | null } | null;

/** Every waiting caller, queue by queue in registry order, each queue in serving order. */
export async function waitingCallViews(store: AcdStore, rules: QueueRules, callers: CallerLookup, now: number): Promise<WaitingCallView[]> {
  const out: WaitingCallView[] = [];
  for (const id of rules.ids()) {
    const waiting = await store.waiting(id);
    waiting.forEach((e, i) => {
      const known = callers(e.callId);
      out.push({
        callId: e.callId, queueId: id, line: e.line ?? known?.line ?? null, caller: e.caller ?? known?.caller ?? null,
        position: i + 1, priority: e.priority, waitedSeconds: seconds(now - e.seniority),
        ...(e.overflowedFrom === undefined ? {} : { overflowedFrom: e.overflowedFrom }),
      });
    });
  }
  return out;
}

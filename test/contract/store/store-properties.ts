/**
 * Property test over random interleavings of the call flow on any store: callers arrive,
 * agents become ready, dispatch rounds run (some two at a time, as two router nodes would),
 * reservations are released, not answered, answered. After every step:
 *   - no agent holds two calls, no call is held by two agents, a held call is not waiting;
 *   - the store's queues are in (priority, seniority, seq) order, checked against a model;
 *   - every dispatch round takes, per queue, a prefix of that queue's order: nobody is
 *     served before a caller ahead of them;
 *   - a queue's agent counts and ready candidates are what its agents' states say, and its best
 *     candidate is the core's choice among them.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { dispatch, queueLookup, type Assignment } from '../../../src/app/acd/dispatch.js';
import { noAnswer } from '../../../src/app/acd/outcomes.js';
import { compareEntries } from '../../../src/core/acd/queue-order.js';
import { selectAgent } from '../../../src/core/acd/selection.js';
import type { AcdStore } from '../../../src/core/acd/store-port.js';
import { AGENT_STATUSES, type QueueEntry } from '../../../src/core/acd/types.js';
import type { MakeStore } from './store-contract.js';

const Q = { name: 'q', skills: [], maxWaitSeconds: 60, maxLength: 100, wrapUpSeconds: 0, schedule: 's',
  announceEverySeconds: 0, serviceLevelSeconds: 15, ringSeconds: 20, selection: 'longest-idle' as const };
const queues = queueLookup({ qa: Q, qb: { ...Q, selection: 'skill-then-longest-idle' } });
const QUEUE_IDS = ['qa', 'qb'] as const;
const AGENTS: Record<string, string[]> = { a1: ['qa'], a2: ['qa', 'qb'], a3: ['qb'], a4: ['qa', 'qb'] };
const AGENT_IDS = Object.keys(AGENTS);

type Op =
  | { op: 'enqueue'; queue: 0 | 1; priority: number; dt: number }
  | { op: 'ready'; agent: number }
  | { op: 'dispatch-two'; a: number; b: number }
  | { op: 'caller-round'; queue: 0 | 1 }
  | { op: 'outcome'; agent: number; kind: 'release' | 'no-answer' | 'answer-hangup' }
  | { op: 'abandon'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('enqueue' as const), queue: fc.constantFrom(0 as const, 1 as const), priority: fc.integer({ min: 0, max: 2 }), dt: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant('ready' as const), agent: fc.nat(3) }),
  fc.record({ op: fc.constant('dispatch-two' as const), a: fc.nat(3), b: fc.nat(3) }),
  fc.record({ op: fc.constant('caller-round' as const), queue: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ op: fc.constant('outcome' as const), agent: fc.nat(3), kind: fc.constantFrom('release' as const, 'no-answer' as const, 'answer-hangup' as const) }),
  fc.record({ op: fc.constant('abandon' as const), pick: fc.nat() }),
);

class Run {
  now = 1_000;
  nextCall = 0;
  readonly model = new Map<string, QueueEntry>();
  readonly held = new Map<string, Assignment>();
  constructor(readonly store: AcdStore) {}

  async step(op: Op): Promise<void> {
    const s = this.store;
    this.now += 1;
    switch (op.op) {
      case 'enqueue': {
        this.now += op.dt;
        const e = await s.enqueue(QUEUE_IDS[op.queue], { callId: `c${this.nextCall++}`, priority: op.priority, enqueuedAt: this.now });
        this.model.set(e.callId, e);
        return;
      }
      case 'ready': {
        const id = AGENT_IDS[op.agent]!;
        const r = await s.applyAgentEvent(id, { type: 'ready' }, this.now);
        if (r.ok) await this.round([dispatch(s, queues, { kind: 'agent-ready', agentId: id }, this.now)]);
        return;
      }
      case 'dispatch-two':
        return this.round([AGENT_IDS[op.a]!, AGENT_IDS[op.b]!].map((agentId) => dispatch(s, queues, { kind: 'agent-ready', agentId }, this.now)));
      case 'caller-round':
        return this.round([dispatch(s, queues, { kind: 'caller-enqueued', queueId: QUEUE_IDS[op.queue] }, this.now)]);
      case 'outcome': {
        const id = AGENT_IDS[op.agent]!;
        const a = this.held.get(id);
        if (a === undefined) return;
        this.held.delete(id);
        if (op.kind === 'release') {
          expect(await s.releaseAgent(id, a.entry.callId, this.now)).toBe(true);
        } else if (op.kind === 'no-answer') {
          expect((await noAnswer(s, a, this.now)).ok).toBe(true);
          this.model.set(a.entry.callId, a.entry);
        } else {
          expect((await s.applyAgentEvent(id, { type: 'answer', callId: a.entry.callId }, this.now)).ok).toBe(true);
          expect((await s.applyAgentEvent(id, { type: 'hangup', callId: a.entry.callId, wrapUpSeconds: 0 }, this.now)).ok).toBe(true);
        }
        return;
      }
      case 'abandon': {
        const waiting = [...this.model.values()];
        const e = waiting[op.pick % Math.max(1, waiting.length)];
        if (e === undefined) return;
        expect((await s.remove(e.queueId, e.callId))?.callId).toBe(e.callId);
        this.model.delete(e.callId);
        return;
      }
    }
  }

  /** Run dispatches concurrently and check that each queue gave up a prefix of its order. */
  private async round(rounds: Promise<Assignment[]>[]): Promise<void> {
    const before = new Map(QUEUE_IDS.map((q) => [q, this.ordered(q).map((e) => e.callId)]));
    const got = (await Promise.all(rounds)).flat();
    for (const a of got) {
      expect(this.held.has(a.agent.id), `agent ${a.agent.id} double-booked`).toBe(false);
      expect([...this.held.values()].some((h) => h.entry.callId === a.entry.callId), `call ${a.entry.callId} given twice`).toBe(false);
      expect(this.model.has(a.entry.callId)).toBe(true);
      this.held.set(a.agent.id, a);
      this.model.delete(a.entry.callId);
    }
    for (const q of QUEUE_IDS) {
      const taken = got.filter((a) => a.entry.queueId === q).map((a) => a.entry.callId).sort();
      expect(taken).toEqual(before.get(q)!.slice(0, taken.length).sort());
    }
  }

  ordered(queueId: string): QueueEntry[] {
    return [...this.model.values()].filter((e) => e.queueId === queueId).sort(compareEntries);
  }

  async checkStore(): Promise<void> {
    for (const q of QUEUE_IDS) {
      const want = this.ordered(q).map((e) => e.callId);
      expect((await this.store.waiting(q)).map((e) => e.callId)).toEqual(want);
      expect(await this.store.length(q)).toBe(want.length);
      const last = want[want.length - 1];
      if (last !== undefined) expect(await this.store.position(q, last)).toBe(want.length);
    }
    const agents = await this.store.listAgents();
    for (const q of QUEUE_IDS) {
      const serving = agents.filter((a) => a.queues.includes(q));
      const counts = await this.store.agentCounts(q);
      for (const status of AGENT_STATUSES) expect(counts[status], `${q} ${status}`).toBe(serving.filter((a) => a.state.status === status).length);
      const ready = serving.filter((a) => a.state.status === 'ready').map((a) => a.id).sort();
      expect((await this.store.listCandidates(q)).map((a) => a.id).sort()).toEqual(ready);
      const queue = queues(q);
      if (queue !== undefined) expect((await this.store.bestCandidate(queue))?.id ?? null).toBe(selectAgent(queue, serving)?.id ?? null);
    }
    const holding = new Map<string, string>();
    for (const a of agents) {
      const st = a.state;
      if ('callId' in st && st.status !== 'wrap-up') {
        expect(holding.has(st.callId), `call ${st.callId} held twice`).toBe(false);
        holding.set(st.callId, a.id);
        expect(this.model.has(st.callId), `held call ${st.callId} still waiting`).toBe(false);
      }
      expect(this.held.get(a.id)?.entry.callId).toBe('callId' in st && st.status !== 'wrap-up' ? st.callId : undefined);
    }
  }
}

export function describeStoreProperties(makeStore: MakeStore): void {
  it('property: random interleavings never double-book and always serve in (priority, seniority) order', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 60 }), async (ops) => {
      const run = new Run(await makeStore());
      for (const [id, qs] of Object.entries(AGENTS)) {
        await run.store.upsertAgent({ id, skills: {}, queues: qs }, 0);
        await run.store.applyAgentEvent(id, { type: 'login' }, 0);
      }
      for (const op of ops) {
        await run.step(op);
        await run.checkStore();
      }
    }), { numRuns: 150 });
  });
}

/**
 * A day of realistic call records for the records-database bench: arrivals spread over one local
 * day, the example city's lines and queues, the usual mix of outcomes, a caller number each.
 */
import type { StoredCall } from '../../src/app/records/records-db.js';
import type { CallOutcome, CallRecord } from '../../src/core/call/index.js';

export interface Workload {
  readonly lines: readonly string[];
  readonly queues: readonly string[];
  readonly agents: readonly string[];
}

const OUTCOMES: readonly CallOutcome[] = ['answered', 'answered', 'answered', 'answered', 'answered', 'answered', 'abandoned', 'short-abandoned', 'left-before-queue', 'subcenter-answered'];
const SURVEYS = ['satisfied', 'basically-satisfied', 'unsatisfied', 'none'] as const;

/** The i-th of `perDay` calls of the day starting at dayStart (deterministic). */
export function dayCall(w: Workload, dayStart: number, perDay: number, i: number, prefix = 'c'): StoredCall {
  const arrivedAt = dayStart + Math.floor((i * 86_400_000) / perDay);
  const outcome = OUTCOMES[i % OUTCOMES.length] ?? 'answered';
  const queued = outcome !== 'left-before-queue';
  const answered = outcome === 'answered' || outcome === 'subcenter-answered';
  const wait = 3 + (i % 40);
  const agent = answered && outcome === 'answered' ? w.agents[i % w.agents.length] : undefined;
  const record: CallRecord = {
    callSid: `${prefix}-${i}`,
    fsUuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    caller: `13${String(100_000_000 + ((i * 7_919) % 900_000_000))}`,
    dialed: w.lines[i % w.lines.length],
    line: w.lines[i % w.lines.length],
    mode: 'dual',
    queue: queued ? w.queues[i % w.queues.length] : undefined,
    hops: i % 17 === 0 ? [{ queue: 'general', reason: 'max-wait', entered: true }] : [],
    arrivedAt,
    queuedAt: queued ? arrivedAt + 4_000 : undefined,
    answeredAt: answered ? arrivedAt + 4_000 + wait * 1_000 : undefined,
    agentId: agent,
    agentsTried: agent === undefined ? [] : [agent],
    endedAt: arrivedAt + 4_000 + wait * 1_000 + (answered ? 180_000 : 0),
    outcome,
    waitSeconds: queued ? wait : undefined,
    waitFromArrivalSeconds: wait + 4,
    survey: answered ? SURVEYS[i % SURVEYS.length] : undefined,
    hangupCause: 'NORMAL_CLEARING',
  };
  return { record, node: `node-${i % 2}`, switch: 'fs1' };
}

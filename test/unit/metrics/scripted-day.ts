/**
 * A hand-computed day of calls on 2026-03-10 (a Tuesday) in Asia/Shanghai, and the figures it
 * must give. The arithmetic behind each expected number is spelled out beside it.
 *
 *  c1  12345 general   09:00  answered fast   wait 4   (arrival 7)    satisfied
 *  c2  12345 general   09:10  answered slow   wait 40  (arrival 43)   basically satisfied
 *  c3  12345 general   09:20  abandoned       wait 30
 *  c4  12345 general   09:30  short abandoned wait 3
 *  c5  12328 traffic → pool (max-wait), answered   wait 130 (arrival 131)  unsatisfied   10:00
 *  c6  12328 traffic → pool (max-wait), abandoned  wait 150                              10:30
 *  c7  12319 merged → general, prompt 5 s, answered wait 10 (arrival 15)  survey no answer 11:00
 *  c8  12366 sub-center answered after 8 s                                 11:30
 *  c9  12328 traffic answered wait 18 (arrival 19), traffic T = 20 s       satisfied    14:00
 *  c10 12366 sub-center no answer → pool, answered wait 6 (arrival 36)      survey no answer 15:00
 *  c11 12345 general closed (skipped) → pool, answered wait 12 (arrival 14) satisfied   20:00
 *  c12 12319 hung up during the prompt (left before queue, 3 s)            21:00
 *  c13 unknown number, rejected                                            22:00
 */
import type { CallRecord, QueueHop, SurveyResult } from '../../../src/app/records/index.js';
import type { Registry } from '../../../src/config/schema.js';
import { cityRegistry, shanghai } from '../../support/registry-builder.js';

export const DAY = '2026-03-10';

export function dayRegistry(): Registry {
  const r = cityRegistry();
  const traffic = r.queues.traffic;
  if (traffic === undefined) throw new Error('no traffic queue');
  r.queues.traffic = { ...traffic, serviceLevelSeconds: 20 };
  return r;
}

interface Spec {
  readonly line?: string;
  readonly mode?: CallRecord['mode'];
  readonly at: string;
  readonly queue?: string;
  readonly hops?: readonly QueueHop[];
  /** seconds from arrival to queue entry; undefined: never queued */
  readonly prompt?: number;
  /** seconds from queue entry (or arrival when never queued) to answer / hang-up */
  readonly wait: number;
  readonly outcome: CallRecord['outcome'];
  readonly survey?: SurveyResult;
}

export function record(id: string, s: Spec, day = DAY): CallRecord {
  const arrivedAt = shanghai(`${day} ${s.at}`);
  const queuedAt = s.prompt === undefined ? undefined : arrivedAt + s.prompt * 1000;
  const end = (queuedAt ?? arrivedAt) + s.wait * 1000;
  const answered = s.outcome === 'answered' || s.outcome === 'subcenter-answered';
  return {
    callSid: id, fsUuid: `uuid-${id}`, line: s.line, mode: s.mode, queue: s.queue, hops: s.hops ?? [],
    arrivedAt, queuedAt, answeredAt: answered ? end : undefined, agentId: answered && s.outcome === 'answered' ? '1001' : undefined,
    agentsTried: [], endedAt: end + 60_000, outcome: s.outcome,
    waitSeconds: queuedAt === undefined ? undefined : s.wait,
    waitFromArrivalSeconds: s.outcome === 'rejected' ? undefined : (end - arrivedAt) / 1000,
    survey: s.survey, hangupCause: 'NORMAL_CLEARING',
  };
}

export function scriptedDay(day = DAY): CallRecord[] {
  const r = (id: string, s: Spec) => record(id, s, day);
  return [
    r('c1', { line: '12345', at: '09:00', queue: 'general', prompt: 3, wait: 4, outcome: 'answered', survey: 'satisfied' }),
    r('c2', { line: '12345', at: '09:10', queue: 'general', prompt: 3, wait: 40, outcome: 'answered', survey: 'basically-satisfied' }),
    r('c3', { line: '12345', at: '09:20', queue: 'general', prompt: 3, wait: 30, outcome: 'abandoned' }),
    r('c4', { line: '12345', at: '09:30', queue: 'general', prompt: 3, wait: 3, outcome: 'short-abandoned' }),
    r('c5', { line: '12328', mode: 'dual', at: '10:00', queue: 'pool-24x7', hops: [{ queue: 'traffic', reason: 'max-wait', entered: true }], prompt: 1, wait: 130, outcome: 'answered', survey: 'unsatisfied' }),
    r('c6', { line: '12328', mode: 'dual', at: '10:30', queue: 'pool-24x7', hops: [{ queue: 'traffic', reason: 'max-wait', entered: true }], prompt: 1, wait: 150, outcome: 'abandoned' }),
    r('c7', { line: '12319', mode: 'merged', at: '11:00', queue: 'general', prompt: 5, wait: 10, outcome: 'answered', survey: 'none' }),
    r('c8', { line: '12366', mode: 'subcenter', at: '11:30', wait: 8, outcome: 'subcenter-answered' }),
    r('c9', { line: '12328', mode: 'dual', at: '14:00', queue: 'traffic', prompt: 1, wait: 18, outcome: 'answered', survey: 'satisfied' }),
    r('c10', { line: '12366', mode: 'subcenter', at: '15:00', queue: 'pool-24x7', hops: [{ subcenter: '12366', reason: 'no-answer' }], prompt: 30, wait: 6, outcome: 'answered', survey: 'none' }),
    r('c11', { line: '12345', at: '20:00', queue: 'pool-24x7', hops: [{ queue: 'general', reason: 'closed', entered: false }], prompt: 2, wait: 12, outcome: 'answered', survey: 'satisfied' }),
    r('c12', { line: '12319', mode: 'merged', at: '21:00', wait: 3, outcome: 'left-before-queue' }),
    r('c13', { at: '22:00', wait: 0, outcome: 'rejected' }),
  ];
}

/** [numerator, denominator] of each rate; value = n / d, null when d = 0. */
export const EXPECTED = {
  total: {
    // calls 12 (c13 rejected excluded); offered 11 (all but c12); answered 8 incl. c8 at the sub-center
    counts: { calls: 12, offered: 11, answered: 8, subcenterAnswered: 1, abandoned: 2, shortAbandoned: 1, overflowed: 2, skipped: 0, leftBeforeQueue: 1, released: 0, answeredWithinThreshold: 5 },
    answerRate: [8, 11], // 8 ÷ (12 − 1)
    serviceLevel: [5, 10], // c1 4, c7 10, c8 8, c10 6, c11 12 within 15 s ÷ (11 − 1)
    asa: 228 / 8, p50: 10, p90: 130, // waits 4 6 8 10 12 18 40 130
    arrivalP50: 15, arrivalP90: 131, // 7 8 14 15 19 36 43 131
    satisfaction: [4, 5], // c1 c9 c11 satisfied, c2 basically, c5 unsatisfied; c7 c10 no answer excluded
  },
  lines: {
    '12345': {
      counts: { calls: 5, offered: 5, answered: 3, abandoned: 1, shortAbandoned: 1, overflowed: 0, answeredWithinThreshold: 2 },
      answerRate: [3, 4], serviceLevel: [2, 4], asa: 56 / 3, p50: 12, p90: 40, arrivalP50: 14, arrivalP90: 43, satisfaction: [3, 3],
    },
    '12328': {
      counts: { calls: 3, offered: 3, answered: 2, abandoned: 1, shortAbandoned: 0, overflowed: 2, answeredWithinThreshold: 0 },
      answerRate: [2, 3], serviceLevel: [0, 3], asa: 74, p50: 18, p90: 130, arrivalP50: 19, arrivalP90: 131, satisfaction: [1, 2],
    },
    '12319': {
      counts: { calls: 2, offered: 1, answered: 1, abandoned: 0, shortAbandoned: 0, overflowed: 0, answeredWithinThreshold: 1, leftBeforeQueue: 1 },
      answerRate: [1, 2], serviceLevel: [1, 1], asa: 10, p50: 10, p90: 10, arrivalP50: 15, arrivalP90: 15, satisfaction: [0, 0],
    },
    '12366': {
      counts: { calls: 2, offered: 2, answered: 2, subcenterAnswered: 1, abandoned: 0, overflowed: 0, answeredWithinThreshold: 2 },
      answerRate: [2, 2], serviceLevel: [2, 2], asa: 7, p50: 6, p90: 8, arrivalP50: 8, arrivalP90: 36, satisfaction: [0, 0],
    },
    '96580': {
      counts: { calls: 0, offered: 0, answered: 0 },
      answerRate: [0, 0], serviceLevel: [0, 0], asa: null, p50: null, p90: null, arrivalP50: null, arrivalP90: null, satisfaction: [0, 0],
    },
  },
  queues: {
    // c1 c2 c3 c4 c7 entered; c11 skipped it (closed) — not offered
    'general': {
      counts: { calls: 5, offered: 5, answered: 3, abandoned: 1, shortAbandoned: 1, overflowed: 0, skipped: 1, answeredWithinThreshold: 2 },
      answerRate: [3, 4], serviceLevel: [2, 4], asa: 18, p50: 10, p90: 40, arrivalP50: 15, arrivalP90: 43, satisfaction: [2, 2], T: 15,
    },
    // c5 c6 entered then overflowed out; c9 answered in 18 s (T = 20)
    'traffic': {
      counts: { calls: 3, offered: 3, answered: 1, abandoned: 0, shortAbandoned: 0, overflowed: 2, skipped: 0, answeredWithinThreshold: 1 },
      answerRate: [1, 1], serviceLevel: [1, 3], asa: 18, p50: 18, p90: 18, arrivalP50: 19, arrivalP90: 19, satisfaction: [1, 1], T: 20,
    },
    // c5 c6 (from traffic), c10 (from the sub-center), c11 (general closed)
    'pool-24x7': {
      counts: { calls: 4, offered: 4, answered: 3, abandoned: 1, shortAbandoned: 0, overflowed: 0, skipped: 0, answeredWithinThreshold: 2 },
      answerRate: [3, 4], serviceLevel: [2, 4], asa: 148 / 3, p50: 12, p90: 130, arrivalP50: 36, arrivalP90: 131, satisfaction: [1, 2], T: 15,
    },
  },
} as const;

export type Expected = { readonly answerRate: readonly [number, number]; readonly serviceLevel: readonly [number, number];
  readonly satisfaction: readonly [number, number]; readonly asa: number | null; readonly p50: number | null; readonly p90: number | null;
  readonly arrivalP50: number | null; readonly arrivalP90: number | null; readonly counts: Readonly<Record<string, number>> };

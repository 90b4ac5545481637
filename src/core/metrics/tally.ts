/**
 * One scope's running totals (a line, a queue, all lines, an hour): adding a call is O(1) in
 * the number of calls, so today's figures stay cheap however long the day. `kpis()` turns the
 * totals into the published figures.
 */
import type { CallFacts } from './call-facts.js';
import { FORMULAS, rate } from './definitions.js';
import type { CallCounts, KpiSet, TransferCount } from './kpi-types.js';
import { WaitHistogram } from './wait-histogram.js';

type Counts = { -readonly [K in keyof CallCounts]: CallCounts[K] };

const zeroCounts = (): Counts => ({
  calls: 0, offered: 0, answered: 0, subcenterAnswered: 0, abandoned: 0, shortAbandoned: 0,
  overflowed: 0, skipped: 0, leftBeforeQueue: 0, released: 0, answeredWithinThreshold: 0,
});

export type Scope = 'line' | 'queue';

export class Tally {
  readonly counts: Counts = zeroCounts();
  readonly wait = new WaitHistogram();
  readonly waitFromArrival = new WaitHistogram();
  readonly survey = { satisfied: 0, basicallySatisfied: 0, unsatisfied: 0, none: 0 };
  private readonly transfers = new Map<string, TransferCount>();

  constructor(readonly scope: Scope, readonly serviceLevelSeconds: number) {}

  /** Line-level: the call once, whatever queues it went through. */
  addCall(f: CallFacts): void {
    const c = this.counts;
    c.calls += 1;
    if (f.entered.length > 0 || f.subcenter) c.offered += 1;
    if (f.overflows.length > 0) c.overflowed += 1;
    switch (f.outcome) {
      case 'answered': c.answered += 1; break;
      case 'subcenter-answered': c.answered += 1; c.subcenterAnswered += 1; break;
      case 'abandoned': c.abandoned += 1; break;
      case 'short-abandoned': c.shortAbandoned += 1; break;
      case 'left-before-queue': c.leftBeforeQueue += 1; break;
      case 'released': c.released += 1; break;
      case 'rejected': break;
    }
    this.addEnd(f);
  }

  /** Queue-level: `queue` is one the call entered or skipped. */
  addQueue(f: CallFacts, queue: string): void {
    const c = this.counts;
    for (const q of f.entered) if (q === queue) { c.calls += 1; c.offered += 1; }
    for (const m of f.overflows) if (m.from === queue) c.overflowed += 1;
    for (const m of f.skips) if (m.from === queue) c.skipped += 1;
    if (f.finalQueue !== queue) return;
    if (f.outcome === 'answered') c.answered += 1;
    else if (f.outcome === 'abandoned') c.abandoned += 1;
    else if (f.outcome === 'short-abandoned') c.shortAbandoned += 1;
    else if (f.outcome === 'released') c.released += 1;
    this.addEnd(f);
  }

  /** Waits, survey and transfers belong to where the call ended (line: the call). */
  private addEnd(f: CallFacts): void {
    const answered = f.outcome === 'answered' || f.outcome === 'subcenter-answered';
    if (answered && f.wait !== undefined) {
      this.wait.add(f.wait);
      if (f.wait <= this.serviceLevelSeconds) this.counts.answeredWithinThreshold += 1;
    }
    if (answered && f.waitFromArrival !== undefined) this.waitFromArrival.add(f.waitFromArrival);
    switch (f.survey) {
      case 'satisfied': this.survey.satisfied += 1; break;
      case 'basically-satisfied': this.survey.basicallySatisfied += 1; break;
      case 'unsatisfied': this.survey.unsatisfied += 1; break;
      case 'none': this.survey.none += 1; break;
      case undefined: break;
    }
    for (const t of f.transfers) {
      const key = `${t.target}\u0000${t.outcome}`;
      const prev = this.transfers.get(key);
      this.transfers.set(key, { target: t.target, outcome: t.outcome, count: (prev?.count ?? 0) + 1 });
    }
  }

  kpis(): KpiSet {
    const c = this.counts;
    const line = this.scope === 'line';
    const answerBase = line ? c.calls - c.shortAbandoned : c.offered - c.shortAbandoned - c.overflowed;
    const s = this.survey;
    const waitStats = (h: WaitHistogram) => ({ asa: h.mean(), p50: h.percentile(0.5), p90: h.percentile(0.9) });
    return {
      counts: { ...c },
      answerRate: rate(c.answered, answerBase, line ? FORMULAS.lineAnswerRate : FORMULAS.queueAnswerRate),
      serviceLevel: rate(c.answeredWithinThreshold, c.offered - c.shortAbandoned,
        (line ? FORMULAS.lineServiceLevel : FORMULAS.queueServiceLevel).replace('T', `${this.serviceLevelSeconds} s`)),
      serviceLevelSeconds: this.serviceLevelSeconds,
      wait: waitStats(this.wait),
      waitFromArrival: waitStats(this.waitFromArrival),
      satisfactionRate: rate(s.satisfied + s.basicallySatisfied, s.satisfied + s.basicallySatisfied + s.unsatisfied, FORMULAS.satisfaction),
      survey: { ...s },
      transfers: [...this.transfers.values()].sort((a, b) => a.target.localeCompare(b.target) || a.outcome.localeCompare(b.outcome)),
    };
  }
}

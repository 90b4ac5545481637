/**
 * A department sees its own lines' figures only. Queue figures, agents and the hourly series mix
 * every department's calls, so a department's snapshot or report leaves them out (empty), and its
 * total is recomputed from its lines with the line-level definitions (docs/metrics.md). Percentiles
 * cannot be merged from per-line percentiles: the total's p50/p90 are null, ASA is the mean
 * weighted by answered calls. The scoped JSON says so in an added `scope` field.
 */
import type { FastifyRequest } from 'fastify';
import type { DailyReport, KpiSet, StatsSnapshot, WaitStats } from '../../../app/metrics/stats-model.js';
import { FORMULAS, LINE_SERVICE_LEVEL_SECONDS, rate } from '../../../core/metrics/definitions.js';
import { principalOf } from './request-access.js';

export interface DepartmentScope {
  readonly department: string;
  readonly lines: readonly string[];
}

function weightedWait(parts: readonly { wait: WaitStats; answered: number }[]): WaitStats {
  const measured = parts.filter((p) => p.wait.asa !== null && p.answered > 0);
  const answered = measured.reduce((n, p) => n + p.answered, 0);
  const asa = answered === 0 ? null : measured.reduce((s, p) => s + (p.wait.asa ?? 0) * p.answered, 0) / answered;
  return { asa, p50: null, p90: null };
}

/** The lines' KPIs as one, by the line-level definitions. */
export function mergeLineKpis(lines: readonly KpiSet[]): KpiSet {
  const sum = (pick: (k: KpiSet) => number) => lines.reduce((n, k) => n + pick(k), 0);
  const counts = {
    calls: sum((k) => k.counts.calls), offered: sum((k) => k.counts.offered), answered: sum((k) => k.counts.answered),
    subcenterAnswered: sum((k) => k.counts.subcenterAnswered), abandoned: sum((k) => k.counts.abandoned),
    shortAbandoned: sum((k) => k.counts.shortAbandoned), overflowed: sum((k) => k.counts.overflowed),
    skipped: sum((k) => k.counts.skipped), leftBeforeQueue: sum((k) => k.counts.leftBeforeQueue),
    released: sum((k) => k.counts.released), answeredWithinThreshold: sum((k) => k.counts.answeredWithinThreshold),
  };
  const survey = {
    satisfied: sum((k) => k.survey.satisfied), basicallySatisfied: sum((k) => k.survey.basicallySatisfied),
    unsatisfied: sum((k) => k.survey.unsatisfied), none: sum((k) => k.survey.none),
  };
  const transfers = new Map<string, { target: string; outcome: string; count: number }>();
  for (const t of lines.flatMap((k) => k.transfers)) {
    const key = `${t.target}\u0000${t.outcome}`;
    const seen = transfers.get(key);
    transfers.set(key, { target: t.target, outcome: t.outcome, count: (seen?.count ?? 0) + t.count });
  }
  const answered = (k: KpiSet) => k.counts.answered;
  return {
    counts,
    answerRate: rate(counts.answered, counts.calls - counts.shortAbandoned, FORMULAS.lineAnswerRate),
    serviceLevel: rate(counts.answeredWithinThreshold, counts.offered - counts.shortAbandoned, FORMULAS.lineServiceLevel),
    serviceLevelSeconds: lines[0]?.serviceLevelSeconds ?? LINE_SERVICE_LEVEL_SECONDS,
    wait: weightedWait(lines.map((k) => ({ wait: k.wait, answered: answered(k) }))),
    waitFromArrival: weightedWait(lines.map((k) => ({ wait: k.waitFromArrival, answered: answered(k) }))),
    satisfactionRate: rate(survey.satisfied + survey.basicallySatisfied, survey.satisfied + survey.basicallySatisfied + survey.unsatisfied, FORMULAS.satisfaction),
    survey,
    transfers: [...transfers.values()],
  };
}

export function scopeSnapshot(s: StatsSnapshot, scope: DepartmentScope): StatsSnapshot & { scope: DepartmentScope } {
  const lines = s.lines.filter((l) => scope.lines.includes(l.line));
  const none = Object.fromEntries(Object.keys(s.agents.byState).map((k) => [k, 0])) as StatsSnapshot['agents']['byState'];
  return { ...s, lines, queues: [], agents: { byState: none, total: 0 }, hourly: [], total: mergeLineKpis(lines), scope };
}

export function scopeReport(r: DailyReport, scope: DepartmentScope): DailyReport & { scope: DepartmentScope } {
  const lines = r.lines.filter((l) => scope.lines.includes(l.line));
  return { ...r, lines, queues: [], hourly: [], total: mergeLineKpis(lines), scope };
}

/** The department's scope of this request, or undefined when it may see everything. */
export function departmentScopeOf(request: FastifyRequest): DepartmentScope | undefined {
  const p = principalOf(request);
  if (p?.role !== 'department' || p.department === undefined) return undefined;
  return { department: p.department, lines: p.lines ?? [] };
}

/** For the stats routes: the snapshot (or report) as this request may see it. */
export function snapshotFor(request: FastifyRequest, s: StatsSnapshot): StatsSnapshot {
  const scope = departmentScopeOf(request);
  return scope === undefined ? s : scopeSnapshot(s, scope);
}

export function reportFor(request: FastifyRequest, r: DailyReport): DailyReport {
  const scope = departmentScopeOf(request);
  return scope === undefined ? r : scopeReport(r, scope);
}

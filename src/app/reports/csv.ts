/**
 * The daily report as CSV for Excel: one row per scope (all lines, each line, each queue),
 * UTF-8 with a byte-order mark (without it Excel on Windows reads the Chinese names as GBK),
 * CRLF line ends, rates as fractions with their numerator and denominator beside them.
 */
import type { DailyReport, KpiSet, Rate } from '../metrics/stats-model.js';

const BOM = '\uFEFF';

const COLUMNS = [
  'date', 'scope', 'id', 'name', 'calls', 'offered', 'answered', 'subcenter_answered', 'abandoned', 'short_abandoned',
  'overflowed', 'skipped', 'left_before_queue', 'released',
  'answer_rate', 'answer_rate_numerator', 'answer_rate_denominator',
  'service_level_seconds', 'service_level', 'service_level_numerator', 'service_level_denominator',
  'asa_seconds', 'wait_p50_seconds', 'wait_p90_seconds', 'arrival_wait_p50_seconds', 'arrival_wait_p90_seconds',
  'satisfaction_rate', 'satisfied', 'basically_satisfied', 'unsatisfied', 'survey_no_answer',
] as const;

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const rateCells = (r: Rate): (number | null)[] => [r.value, r.numerator, r.denominator];

function row(date: string, scope: string, id: string, name: string, k: KpiSet): string {
  const c = k.counts;
  return [
    date, scope, id, name, c.calls, c.offered, c.answered, c.subcenterAnswered, c.abandoned, c.shortAbandoned,
    c.overflowed, c.skipped, c.leftBeforeQueue, c.released,
    ...rateCells(k.answerRate), k.serviceLevelSeconds, ...rateCells(k.serviceLevel),
    k.wait.asa, k.wait.p50, k.wait.p90, k.waitFromArrival.p50, k.waitFromArrival.p90,
    k.satisfactionRate.value, k.survey.satisfied, k.survey.basicallySatisfied, k.survey.unsatisfied, k.survey.none,
  ].map(cell).join(',');
}

export function reportCsv(report: DailyReport): string {
  const rows = [
    COLUMNS.join(','),
    row(report.date, 'total', 'all', '全部线路', report.total),
    ...report.lines.map((l) => row(report.date, 'line', l.line, l.name, l)),
    ...report.queues.map((q) => row(report.date, 'queue', q.queue, q.name, q)),
  ];
  return BOM + rows.join('\r\n') + '\r\n';
}

export const CSV_COLUMNS: readonly string[] = COLUMNS;

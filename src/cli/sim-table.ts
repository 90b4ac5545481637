/**
 * Simulated figures as text tables: one row per queue, per line and in total, each figure its
 * mean over the replications, "± h" its 95 % interval when there are several.
 */
import type { EstimateSet, FigureEstimates } from '../app/sim/replications.js';
import type { Estimate } from '../core/staffing/index.js';

type Kind = 'count' | 'rate' | 'seconds';

const COLUMNS: readonly { key: keyof FigureEstimates; head: string; kind: Kind }[] = [
  { key: 'offered', head: 'offered', kind: 'count' },
  { key: 'answered', head: 'answered', kind: 'count' },
  { key: 'abandoned', head: 'abandoned', kind: 'count' },
  { key: 'overflowed', head: 'overflowed', kind: 'count' },
  { key: 'serviceLevel', head: 'service lvl', kind: 'rate' },
  { key: 'answerRate', head: 'answer rate', kind: 'rate' },
  { key: 'asa', head: 'ASA s', kind: 'seconds' },
  { key: 'waitP50', head: 'p50 s', kind: 'seconds' },
  { key: 'waitP90', head: 'p90 s', kind: 'seconds' },
  { key: 'occupancy', head: 'occupancy', kind: 'rate' },
];

function cell(e: Estimate | null, kind: Kind): string {
  if (e === null) return '–';
  const f = (v: number) => (kind === 'rate' ? `${(v * 100).toFixed(1)}%` : kind === 'seconds' ? v.toFixed(1) : v.toFixed(e.n > 1 ? 1 : 0));
  const hw = e.halfWidth === null ? '' : ` ±${kind === 'rate' ? (e.halfWidth * 100).toFixed(1) : e.halfWidth.toFixed(1)}`;
  return `${f(e.mean)}${hw}`;
}

export function table(rows: readonly { name: string; figures: FigureEstimates }[], withOccupancy: boolean): string {
  const cols = COLUMNS.filter((c) => withOccupancy || c.key !== 'occupancy');
  const body = rows.map((r) => [r.name, ...cols.map((c) => cell(r.figures[c.key], c.kind))]);
  const head = ['', ...cols.map((c) => c.head)];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

/** Queues, lines and the total of one set, as three tables. */
export function setTables(set: EstimateSet, names: { queues: Record<string, string>; lines: Record<string, string> }): string {
  const queues = Object.entries(set.queues).filter(([, f]) => (f.offered?.mean ?? 0) > 0 || (f.occupancy?.mean ?? 0) > 0);
  const lines = Object.entries(set.lines).filter(([, f]) => (f.offered?.mean ?? 0) > 0);
  return [
    'queues',
    table(queues.map(([id, figures]) => ({ name: `${id} ${names.queues[id] ?? ''}`.trim(), figures })), true),
    '',
    'lines',
    table([...lines.map(([n, figures]) => ({ name: `${n} ${names.lines[n] ?? ''}`.trim(), figures })), { name: 'all lines', figures: set.total }], false),
  ].join('\n');
}

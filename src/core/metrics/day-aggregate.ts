/**
 * One local day's figures, per line, per queue, all lines together and per local hour of
 * arrival. A call belongs to the day and hour it arrived in (so a call straddling midnight is
 * yesterday's), the same rule the record store's `byDay` uses.
 */
import type { Zone } from '../schedule/index.js';
import type { CallFacts } from './call-facts.js';
import { LINE_SERVICE_LEVEL_SECONDS } from './definitions.js';
import type { HourlyPoint, KpiSet } from './kpi-types.js';
import type { LineKind, MetricsScope } from './scope.js';
import { Tally } from './tally.js';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

export interface LineKpis extends KpiSet { readonly line: string; readonly name: string; readonly mode: LineKind }
export interface QueueKpis extends KpiSet { readonly queue: string; readonly name: string }

export interface DayKpis {
  readonly total: KpiSet;
  readonly lines: readonly LineKpis[];
  readonly queues: readonly QueueKpis[];
  readonly hourly: readonly HourlyPoint[];
}

export class DayAggregate {
  private readonly total = new Tally('line', LINE_SERVICE_LEVEL_SECONDS);
  private readonly lines = new Map<string, Tally>();
  private readonly queues = new Map<string, Tally>();
  private readonly hours: Tally[] = [];
  private added = 0;

  constructor(private readonly scope: MetricsScope, private readonly zone: Zone) {
    for (const l of scope.lines) this.lines.set(l.number, new Tally('line', LINE_SERVICE_LEVEL_SECONDS));
    for (const q of scope.queues) this.queues.set(q.id, new Tally('queue', q.serviceLevelSeconds));
    for (let h = 0; h < 24; h += 1) this.hours.push(new Tally('line', LINE_SERVICE_LEVEL_SECONDS));
  }

  /** Calls added so far. */
  get size(): number {
    return this.added;
  }

  /** Local hour 0..23 of an instant (a DST day's repeated hour folds into the same bucket). */
  hourOf(at: number): number {
    const local = this.zone.localMs(at);
    return Math.floor((((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_HOUR);
  }

  add(f: CallFacts): void {
    if (f.outcome === 'rejected') return;
    this.added += 1;
    this.total.addCall(f);
    if (f.line !== undefined) this.lines.get(f.line)?.addCall(f);
    this.hours[this.hourOf(f.arrivedAt)]?.addCall(f);
    // Each queue once per call, even if the call went through it more than once.
    const touched = new Set<string>([...f.entered, ...f.skips.map((m) => m.from)]);
    for (const q of touched) this.queues.get(q)?.addQueue(f, q);
  }

  kpis(): DayKpis {
    return {
      total: this.total.kpis(),
      lines: this.scope.lines.map((l) => ({ line: l.number, name: l.name, mode: l.mode, ...this.tally(this.lines, l.number).kpis() })),
      queues: this.scope.queues.map((q) => ({ queue: q.id, name: q.name, ...this.tally(this.queues, q.id).kpis() })),
      hourly: this.hours.map((t, hour) => {
        const k = t.kpis();
        return { hour, answerRate: k.answerRate, avgWaitSeconds: k.wait.asa, offered: k.counts.offered };
      }),
    };
  }

  private tally(map: Map<string, Tally>, key: string): Tally {
    const t = map.get(key);
    if (t === undefined) throw new Error(`no tally for ${key}`);
    return t;
  }
}


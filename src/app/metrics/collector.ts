/**
 * Today's figures, kept as records arrive: one DayAggregate for the current local day in the
 * hotline's time zone, replaced at local midnight (armed on Timers, so tests move a manual
 * clock across it). A record of a call that arrived before midnight but ended after it belongs
 * to yesterday (counted by arrival): it does not enter today's figures; the daily report,
 * recomputed from the day's records, includes it.
 *
 * `version` moves on every record and every ACD event: a cheap "something may have changed".
 */
import type { AcdEvent } from '../acd/acd-model.js';
import type { CallRecord, CallRecordSink } from '../records/index.js';
import type { Clock } from '../../core/ports.js';
import { DayAggregate, factsOf, type CallFacts, type MetricsScope } from '../../core/metrics/index.js';
import { zoneOf, type Zone } from '../../core/schedule/index.js';
import type { TimerHandle, Timers } from '../timers.js';

const MS_PER_DAY = 86_400_000;

export interface CollectorDeps {
  readonly scope: MetricsScope;
  readonly clock: Clock;
  readonly timers: Timers;
}

export type FactsListener = (facts: CallFacts, record: CallRecord) => void;

export class MetricsCollector implements CallRecordSink {
  readonly zone: Zone;
  private day: DayAggregate;
  private date: string;
  private rollover: TimerHandle | undefined;
  private changes = 0;
  private readonly listeners = new Set<FactsListener>();

  constructor(private readonly deps: CollectorDeps) {
    this.zone = zoneOf(deps.scope.timeZone);
    this.date = this.zone.local(deps.clock.now()).date;
    this.day = new DayAggregate(deps.scope, this.zone);
  }

  /** Arms the midnight rollover. */
  start(): void {
    this.armRollover();
  }

  stop(): void {
    if (this.rollover !== undefined) this.deps.timers.cancel(this.rollover);
    this.rollover = undefined;
  }

  add(record: CallRecord): void {
    const facts = factsOf(record);
    if (this.zone.local(record.arrivedAt).date === this.date) this.day.add(facts);
    this.changes += 1;
    for (const l of this.listeners) l(facts, record);
  }

  onAcdEvent(_event: AcdEvent): void {
    this.changes += 1;
  }

  /** Every record's facts as it arrives (Prometheus counters); returns the unsubscribe function. */
  onFacts(listener: FactsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get version(): number {
    return this.changes;
  }

  /** The local date "today" refers to. */
  get today(): string {
    return this.date;
  }

  todayAggregate(): DayAggregate {
    return this.day;
  }

  private armRollover(): void {
    const now = this.deps.clock.now();
    const local = this.zone.local(now);
    const midnight = this.zone.instantOf((local.dayNumber + 1) * MS_PER_DAY);
    this.rollover = this.deps.timers.at(midnight, () => {
      this.date = this.zone.local(this.deps.clock.now()).date;
      this.day = new DayAggregate(this.deps.scope, this.zone);
      this.changes += 1;
      this.armRollover();
    });
  }
}

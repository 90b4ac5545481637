/**
 * Today's figures, kept as records arrive: one DayAggregate for the current local day in the
 * hotline's time zone, replaced at local midnight (armed on Timers, so tests move a manual
 * clock across it). A record of a call that arrived before midnight but ended after it belongs
 * to yesterday (counted by arrival): it does not enter today's figures; the daily report,
 * recomputed from the day's records, includes it.
 *
 * `version` moves on every record and every ACD event: a cheap "something may have changed".
 *
 * A record is counted once per call (by callSid): the shared-figures tail may see a record both
 * in its rebuild and in the tail that follows it.
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
  private seen = new Set<string>();
  private readonly rolloverListeners = new Set<(date: string) => void>();

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
    if (this.zone.local(record.arrivedAt).date === this.date) {
      if (this.seen.has(record.callSid)) return;
      this.seen.add(record.callSid);
      this.day.add(facts);
    }
    this.changes += 1;
    for (const l of this.listeners) l(facts, record);
  }

  /**
   * Today's figures from scratch: the day's records as the database has them (a node that starts
   * mid-day, or the day that just began). Listeners (Prometheus) are not told: these records were
   * counted where they were made.
   */
  rebuild(date: string, records: readonly CallRecord[]): void {
    this.date = date;
    this.day = new DayAggregate(this.deps.scope, this.zone);
    this.seen = new Set();
    for (const r of records) {
      if (this.zone.local(r.arrivedAt).date !== date || this.seen.has(r.callSid)) continue;
      this.seen.add(r.callSid);
      this.day.add(factsOf(r));
    }
    this.changes += 1;
  }

  /** Called after each local midnight with the new date (the shared-figures tail rebuilds then). */
  onRollover(listener: (date: string) => void): () => void {
    this.rolloverListeners.add(listener);
    return () => this.rolloverListeners.delete(listener);
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
      this.seen = new Set();
      this.changes += 1;
      this.armRollover();
      for (const l of this.rolloverListeners) l(this.date);
    });
  }
}

/**
 * One set of figures for the whole center: today's aggregate is fed from the records database,
 * not from this node's own calls, so every node (and a node restarted at 15:00) counts the same
 * rows. At start and after each local midnight the day is rebuilt from the day's records; from
 * then on the tail follows new rows by seq (polled every `pollMs`, and at once after this node
 * stored a batch). The collector counts a call once, so a row seen by both the rebuild and the
 * tail is not doubled.
 *
 * While the database is away the figures stand still (the poll retries); records written
 * meanwhile by any node are picked up when it is back.
 */
import type { CallRecord } from '../../core/call/index.js';
import type { Clock } from '../../core/ports.js';
import { parseIsoDate } from '../../core/schedule/index.js';
import type { CallRow, RecordsDb } from '../records/records-db.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { MetricsCollector } from './collector.js';
import type { MetricsLog } from './ports.js';

const MS_PER_DAY = 86_400_000;
export const TAIL_POLL_MS = 1000;
const PAGE = 1000;

export type TailSource = Pick<RecordsDb, 'callsAfter' | 'callsArrivedBetween'>;

export interface RecordsTailDeps {
  readonly source: TailSource;
  readonly collector: MetricsCollector;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly pollMs?: number;
  readonly log?: MetricsLog;
}

/** The highest seq in the table now (0 when empty), by galloping over callsAfter(x, 1). */
export async function latestSeq(source: Pick<RecordsDb, 'callsAfter'>): Promise<number> {
  /** the smallest seq >= x, if any */
  const atLeast = async (x: number): Promise<number | undefined> => (await source.callsAfter(x - 1, 1))[0]?.seq;
  let known = await atLeast(1);
  if (known === undefined) return 0;
  // known exists; once found, no row above hi. Gallop up, then halve.
  let step = 1;
  let hi: number | undefined;
  while (hi === undefined) {
    const probe = await atLeast(known + step);
    if (probe === undefined) hi = known + step - 1;
    else {
      known = probe;
      step *= 2;
    }
  }
  while (known < hi) {
    const mid = Math.ceil((known + hi) / 2);
    const probe = await atLeast(mid);
    if (probe === undefined) hi = mid - 1;
    else known = probe;
  }
  return known;
}

/** [start, end) of a local date in the collector's zone, as epoch ms. */
export function dayBounds(collector: Pick<MetricsCollector, 'zone'>, date: string): [number, number] {
  const day = parseIsoDate(date);
  return [collector.zone.instantOf(day * MS_PER_DAY), collector.zone.instantOf((day + 1) * MS_PER_DAY)];
}

export class RecordsTail {
  private seq = 0;
  private ready = false;
  private rebuildFor: string | undefined;
  private timer: TimerHandle | undefined;
  private busy: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;
  private failing = 0;

  constructor(private readonly deps: RecordsTailDeps) {}

  /** Rebuilds today (awaited, so figures are whole before anyone reads them), then follows the tail. */
  async start(): Promise<void> {
    this.unsubscribe = this.deps.collector.onRollover((date) => {
      this.rebuildFor = date;
      this.poke();
    });
    this.rebuildFor = this.deps.collector.today;
    await this.run();
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer !== undefined) this.deps.timers.cancel(this.timer);
    this.timer = undefined;
  }

  /** True once today was rebuilt from the database (the figures cover every node's calls). */
  get isReady(): boolean {
    return this.ready;
  }

  get position(): number {
    return this.seq;
  }

  /** Read the tail soon (this node just stored records). */
  poke(): void {
    if (this.stopped) return;
    void this.run();
  }

  /** One pass: the pending rebuild, then every new row. Resolves after a pass that began after the call. */
  run(): Promise<void> {
    if (this.busy === undefined) {
      this.busy = this.pass().finally(() => { this.busy = undefined; });
      return this.busy;
    }
    // Calls during a pass fold into one more pass after it.
    this.queued ??= this.busy.then(() => {
      this.queued = undefined;
      return this.stopped ? undefined : this.run();
    });
    return this.queued;
  }

  private async pass(): Promise<void> {
    try {
      if (this.rebuildFor !== undefined) await this.rebuild(this.rebuildFor);
      for (let rows = await this.next(); rows.length > 0; rows = rows.length < PAGE ? [] : await this.next()) {
        for (const row of rows) this.deps.collector.add(row.record);
      }
      if (this.failing > 0) this.deps.log?.warn({ attempts: this.failing }, 'records tail: database back');
      this.failing = 0;
    } catch (err) {
      this.failing += 1;
      if (this.failing === 1 || this.failing % 60 === 0) this.deps.log?.error({ err, attempts: this.failing }, 'records tail: database read failed; figures wait');
    }
  }

  private async rebuild(date: string): Promise<void> {
    const [from, to] = dayBounds(this.deps.collector, date);
    // The position first: a row stored between the two reads is in both, and counted once.
    const seq = await latestSeq(this.deps.source);
    const records: readonly CallRecord[] = await this.deps.source.callsArrivedBetween(from, to);
    // A midnight that passed while reading: the next pass rebuilds the new day.
    if (this.deps.collector.today !== date) return;
    this.deps.collector.rebuild(date, records);
    this.seq = seq;
    this.ready = true;
    if (this.rebuildFor === date) this.rebuildFor = undefined;
  }

  private async next(): Promise<readonly CallRow[]> {
    const rows = await this.deps.source.callsAfter(this.seq, PAGE);
    const last = rows.at(-1);
    if (last !== undefined) this.seq = last.seq;
    return rows;
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.deps.timers.at(this.deps.clock.now() + (this.deps.pollMs ?? TAIL_POLL_MS), () => {
      void this.run().finally(() => this.arm());
    });
  }
}

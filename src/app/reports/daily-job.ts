/**
 * The 00:05 job: computes the previous local day's report from that day's records and stores
 * it. Scheduling is the scheduler port's (node-cron in production); the job itself only needs
 * the clock, so tests run it directly.
 */
import type { Clock } from '../../core/ports.js';
import type { MetricsScope } from '../../core/metrics/index.js';
import { formatDay, zoneOf } from '../../core/schedule/index.js';
import type { DayRecords, MetricsLog } from '../metrics/ports.js';
import type { DailyReport } from '../metrics/stats-model.js';
import { dailyReport } from './daily-report.js';
import type { ReportStore } from './report-store.js';

/** Every day at 00:05, in the zone the scheduler is given. */
export const DAILY_REPORT_CRON = '5 0 * * *';

export interface Scheduler {
  /** Runs `fn` at each match of a 5-field cron expression in `timeZone`; returns a stop function. */
  schedule(expression: string, timeZone: string, fn: () => Promise<void>): () => void;
}

export interface DailyJobDeps {
  readonly scope: MetricsScope;
  readonly clock: Clock;
  readonly records: DayRecords;
  readonly store: ReportStore;
  readonly log?: MetricsLog;
}

export class DailyReportJob {
  constructor(private readonly deps: DailyJobDeps) {}

  /** The local date before the one `now` falls on. */
  previousDay(now = this.deps.clock.now()): string {
    return formatDay(zoneOf(this.deps.scope.timeZone).local(now).dayNumber - 1);
  }

  /** Computes and stores one day's report; null (nothing stored) when no call arrived that day. */
  async runFor(date: string): Promise<DailyReport | null> {
    const report = dailyReport(await this.deps.records.byDay(date), this.deps.scope, date, this.deps.clock.now());
    if (report !== null) await this.deps.store.put(report);
    return report;
  }

  /** What the schedule calls: yesterday's report. Failures are logged, never thrown at the scheduler. */
  async run(): Promise<void> {
    const date = this.previousDay();
    try {
      await this.runFor(date);
    } catch (err) {
      this.deps.log?.error({ err, date }, 'daily report failed');
    }
  }

  /** Schedules `run` at 00:05 in the hotline's time zone; returns the stop function. */
  schedule(scheduler: Scheduler): () => void {
    return scheduler.schedule(DAILY_REPORT_CRON, this.deps.scope.timeZone, () => this.run());
  }
}

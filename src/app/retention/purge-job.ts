/**
 * The daily purge (PIPL: personal data kept no longer than needed): deletes what the retention
 * policy says is too old and masks caller numbers older than callerNumberDays, then logs the
 * counts. Scheduled through the Scheduler port (node-cron, the hotline's local time); every node
 * may run it — the purge is idempotent.
 */
import type { Clock } from '../../core/ports.js';
import type { Logger } from '../../lib/logger.js';
import type { PurgeCounts, RecordsDb, RetentionPolicy } from '../records/records-db.js';
import type { Scheduler } from '../reports/index.js';

export const DEFAULT_PURGE_AT = '03:30';

/** "03:30" → the cron expression for every day at that minute. */
export function dailyCron(hhmm: string): string {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(hhmm);
  if (m === null) throw new Error(`not a time of day HH:MM (00:00-23:59): ${hhmm}`);
  return `${Number(m[2])} ${Number(m[1])} * * *`;
}

export function hasRetention(policy: RetentionPolicy): boolean {
  return Object.values(policy).some((days) => days !== undefined);
}

export interface PurgeJobDeps {
  readonly db: Pick<RecordsDb, 'purge'>;
  readonly policy: RetentionPolicy;
  readonly clock: Clock;
  readonly mask: (caller: string) => string;
  readonly log: Logger;
  readonly timeZone: string;
  /** local HH:MM, default 03:30 */
  readonly at?: string;
}

export class PurgeJob {
  constructor(private readonly deps: PurgeJobDeps) {}

  /** One purge at the clock's now; null when it failed (logged, never thrown at the scheduler). */
  async run(): Promise<PurgeCounts | null> {
    const now = this.deps.clock.now();
    try {
      const counts = await this.deps.db.purge(this.deps.policy, now, this.deps.mask);
      this.deps.log.info({ ...counts, policy: this.deps.policy }, 'retention purge done');
      return counts;
    } catch (err) {
      this.deps.log.error({ err }, 'retention purge failed; next run tomorrow');
      return null;
    }
  }

  /** Schedules `run` daily at `at` in the hotline's time zone; returns the stop function. */
  schedule(scheduler: Scheduler): () => void {
    return scheduler.schedule(dailyCron(this.deps.at ?? DEFAULT_PURGE_AT), this.deps.timeZone, async () => { await this.run(); });
  }
}

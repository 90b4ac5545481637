/**
 * The daily report over the records database: a day's records are read from it (every node's
 * calls), and reports are kept in it, so any node may run the 00:05 job (a second run replaces
 * the report with the same figures) and every node serves the same report.
 */
import type { CallRecord } from '../../core/call/index.js';
import { isIsoDate } from './daily-report.js';
import { parseIsoDate, type Zone } from '../../core/schedule/index.js';
import type { DayRecords } from '../metrics/ports.js';
import type { DailyReport } from '../metrics/stats-model.js';
import type { RecordsDb } from '../records/records-db.js';
import type { ReportStore } from './report-store.js';

const MS_PER_DAY = 86_400_000;

export class DatabaseDayRecords implements DayRecords {
  constructor(private readonly db: Pick<RecordsDb, 'callsArrivedBetween'>, private readonly zone: Zone) {}

  byDay(date: string): Promise<readonly CallRecord[]> {
    const day = parseIsoDate(date);
    return this.db.callsArrivedBetween(this.zone.instantOf(day * MS_PER_DAY), this.zone.instantOf((day + 1) * MS_PER_DAY));
  }
}

export class DatabaseReportStore implements ReportStore {
  constructor(private readonly db: Pick<RecordsDb, 'putReport' | 'getReport'>) {}

  put(report: DailyReport): Promise<void> {
    return this.db.putReport(report.date, report);
  }

  async get(date: string): Promise<DailyReport | null> {
    if (!isIsoDate(date)) return null;
    const r = await this.db.getReport(date);
    return r === null || r === undefined ? null : r as DailyReport;
  }
}

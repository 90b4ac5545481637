/** Where daily reports are kept; keyed by local date. */
import type { DailyReport } from '../metrics/stats-model.js';

export interface ReportStore {
  put(report: DailyReport): Promise<void>;
  get(date: string): Promise<DailyReport | null>;
}

export class MemoryReportStore implements ReportStore {
  private readonly reports = new Map<string, DailyReport>();

  put(report: DailyReport): Promise<void> {
    this.reports.set(report.date, report);
    return Promise.resolve();
  }

  get(date: string): Promise<DailyReport | null> {
    return Promise.resolve(this.reports.get(date) ?? null);
  }
}

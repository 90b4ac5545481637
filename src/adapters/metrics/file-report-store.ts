/**
 * Daily reports as JSON files, one per local day: `<dir>/YYYY-MM-DD.json`. Written to a
 * temporary name then renamed, so a crash mid-write never leaves half a report to serve.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportStore } from '../../app/reports/index.js';
import { isIsoDate } from '../../app/reports/index.js';
import type { DailyReport } from '../../app/metrics/index.js';

export class FileReportStore implements ReportStore {
  constructor(private readonly dir: string) {}

  async put(report: DailyReport): Promise<void> {
    if (!isIsoDate(report.date)) throw new Error(`not a date: ${report.date}`);
    await mkdir(this.dir, { recursive: true });
    const file = this.file(report.date);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(report, null, 2) + '\n', 'utf8');
    await rename(tmp, file);
  }

  async get(date: string): Promise<DailyReport | null> {
    // The date check keeps a request from naming any other file.
    if (!isIsoDate(date)) return null;
    try {
      return JSON.parse(await readFile(this.file(date), 'utf8')) as DailyReport;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  private file(date: string): string {
    return join(this.dir, `${date}.json`);
  }
}

export { CSV_COLUMNS, reportCsv } from './csv.js';
export { DAILY_REPORT_CRON, DailyReportJob, type DailyJobDeps, type Scheduler } from './daily-job.js';
export { dailyReport, isIsoDate } from './daily-report.js';
export { MemoryReportStore, type ReportStore } from './report-store.js';
export { DatabaseDayRecords, DatabaseReportStore } from './db-sources.js';

/** Daily reports, one JSON document per local date; a second put replaces the first. */
import type { RecordsKysely } from './write-tx.js';

export async function putReport(db: RecordsKysely, date: string, report: unknown): Promise<void> {
  const json = JSON.stringify(report);
  await db.insertInto('daily_reports').values({ date, report: json })
    .onConflict((oc) => oc.column('date').doUpdateSet({ report: json }))
    .execute();
}

export async function getReport(db: RecordsKysely, date: string): Promise<unknown> {
  const row = await db.selectFrom('daily_reports').select('report').where('date', '=', date).executeTakeFirst();
  return row === undefined ? null : (JSON.parse(row.report) as unknown);
}

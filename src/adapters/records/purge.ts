/**
 * Retention: deletes what the policy says is too old, and replaces caller numbers older than
 * callerNumberDays by their mask (once: caller_masked marks the row). Masking runs in bounded
 * batches, each its own transaction, so a big first purge does not hold the write lock for long.
 */
import type { PurgeCounts, RetentionPolicy } from '../../app/records/records-db.js';
import type { RecordsDialect } from './dialect.js';
import { inWriteTx, type RecordsKysely } from './write-tx.js';

const MS_PER_DAY = 86_400_000;
const MASK_BATCH = 1_000;

const cutoff = (now: number, days: number): number => now - days * MS_PER_DAY;

export async function purge(
  db: RecordsKysely,
  dialect: RecordsDialect,
  policy: RetentionPolicy,
  now: number,
  mask: (caller: string) => string,
): Promise<PurgeCounts> {
  const deleted = (r: { numDeletedRows: bigint }): number => Number(r.numDeletedRows);
  const callRecords = policy.callRecordsDays === undefined ? 0 : deleted(
    await db.deleteFrom('call_records').where('arrived_at', '<', cutoff(now, policy.callRecordsDays)).executeTakeFirst());
  const callerNumbersMasked = policy.callerNumberDays === undefined ? 0
    : await maskCallers(db, dialect, cutoff(now, policy.callerNumberDays), mask);
  const agentLog = policy.agentLogDays === undefined ? 0 : deleted(
    await db.deleteFrom('agent_state_log').where('at', '<', cutoff(now, policy.agentLogDays)).executeTakeFirst());
  const audit = policy.auditDays === undefined ? 0 : deleted(
    await db.deleteFrom('audit_log').where('at', '<', cutoff(now, policy.auditDays)).executeTakeFirst());
  // Reports are keyed by local date; the UTC date of the cutoff is within a day of it, which is
  // all a retention measured in days needs.
  const reports = policy.reportsDays === undefined ? 0 : deleted(
    await db.deleteFrom('daily_reports')
      .where('date', '<', new Date(cutoff(now, policy.reportsDays)).toISOString().slice(0, 10))
      .executeTakeFirst());
  // Pending items are never purged: they are still owed to someone.
  const outbox = policy.outboxDays === undefined ? 0 : deleted(
    await db.deleteFrom('outbox')
      .where('state', '!=', 'pending').where('created_at', '<', cutoff(now, policy.outboxDays))
      .executeTakeFirst());
  return { callRecords, callerNumbersMasked, agentLog, audit, reports, outbox };
}

async function maskCallers(db: RecordsKysely, dialect: RecordsDialect, before: number, mask: (caller: string) => string): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await inWriteTx(db, dialect, null, async (tx) => {
      const rows = await tx.selectFrom('call_records').select(['seq', 'caller'])
        .where('caller_masked', '=', 0).where('caller', 'is not', null).where('arrived_at', '<', before)
        .orderBy('seq').limit(MASK_BATCH)
        .execute();
      for (const r of rows) {
        await tx.updateTable('call_records').set({ caller: mask(r.caller ?? ''), caller_masked: 1 }).where('seq', '=', r.seq).execute();
      }
      return rows.length;
    });
    total += done;
    if (done < MASK_BATCH) return total;
  }
}

/**
 * Call records: inserts that give seq in commit order (the seq counter's row stays locked from
 * taking the seqs to commit, so a follower of callsAfter never sees a lower seq appear behind
 * one it has passed), and the reads.
 */
import type { CallQuery, CallRow, OutboxItem, Page, StoredCall } from '../../app/records/records-db.js';
import type { CallRecord } from '../../core/call/index.js';
import { toCallRow, toCallRowOut, toRecord } from './call-row.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { RecordsDialect } from './dialect.js';
import { enqueueInTx } from './outbox.js';
import { chunks } from './chunks.js';
import { inWriteTx, type RecordsKysely } from './write-tx.js';

/** 27 columns a row: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const ROWS_PER_INSERT = 500;
const ARRIVALS_PAGE = 2_000;

export async function insertCalls(
  db: RecordsKysely,
  dialect: RecordsDialect,
  calls: readonly StoredCall[],
  feed: readonly OutboxItem[] = [],
): Promise<void> {
  if (calls.length === 0 && feed.length === 0) return;
  await inWriteTx(db, dialect, null, async (tx) => {
    const bySid = new Map<string, StoredCall>();
    for (const c of calls) if (!bySid.has(c.record.callSid)) bySid.set(c.record.callSid, c);
    for (const part of chunks([...bySid.keys()], ROWS_PER_INSERT)) {
      const stored = await tx.selectFrom('call_records').select('call_sid').where('call_sid', 'in', part).execute();
      for (const s of stored) bySid.delete(s.call_sid);
    }
    if (bySid.size > 0) {
      // Taking the seqs locks the counter row until commit: the next writer waits here, so
      // seq order is commit order.
      const { last } = await tx.updateTable('sequences')
        .set((eb) => ({ last: eb('last', '+', bySid.size) }))
        .where('name', '=', 'calls')
        .returning('last')
        .executeTakeFirstOrThrow();
      let seq = last - bySid.size;
      const rows = [...bySid.values()].map((c) => toCallRow(c, ++seq));
      // A concurrent writer of the same call (a retry racing its original) wins; its seq stays a gap.
      for (const part of chunks(rows, ROWS_PER_INSERT)) {
        await tx.insertInto('call_records').values(part).onConflict((oc) => oc.column('call_sid').doNothing()).execute();
      }
    }
    if (feed.length > 0) await enqueueInTx(tx, feed);
  });
}

export async function callsAfter(db: RecordsKysely, afterSeq: number, limit: number): Promise<readonly CallRow[]> {
  const rows = await db.selectFrom('call_records').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map(toCallRowOut);
}

/**
 * Read in keyset pages: a day is ~100,000 records, and one result that size costs more in
 * short-lived row objects (and their garbage collection) than the query itself.
 */
export async function callsArrivedBetween(db: RecordsKysely, from: number, to: number): Promise<readonly CallRecord[]> {
  const out: CallRecord[] = [];
  let after: readonly [number, number] | null = null;
  for (;;) {
    const key = after;
    let query = db.selectFrom('call_records').selectAll().where('arrived_at', '>=', from).where('arrived_at', '<', to);
    if (key !== null) query = query.where((eb) => eb(eb.refTuple('arrived_at', 'seq'), '>', eb.tuple(key[0], key[1])));
    const rows = await query.orderBy('arrived_at').orderBy('seq').limit(ARRIVALS_PAGE).execute();
    for (const r of rows) out.push(toRecord(r));
    const last = rows[rows.length - 1];
    if (rows.length < ARRIVALS_PAGE || last === undefined) return out;
    after = [last.arrived_at, last.seq];
  }
}

export async function findCall(db: RecordsKysely, callSid: string): Promise<CallRow | null> {
  const row = await db.selectFrom('call_records').selectAll().where('call_sid', '=', callSid).executeTakeFirst();
  return row === undefined ? null : toCallRowOut(row);
}

export async function queryCalls(db: RecordsKysely, q: CallQuery, limit: number, cursor?: string): Promise<Page<CallRow>> {
  let query = db.selectFrom('call_records').selectAll();
  if (q.from !== undefined) query = query.where('arrived_at', '>=', q.from);
  if (q.to !== undefined) query = query.where('arrived_at', '<', q.to);
  if (q.lines !== undefined) {
    if (q.lines.length === 0) return { rows: [], next: null };
    query = query.where('line', 'in', q.lines);
  }
  if (q.queue !== undefined) query = query.where('queue', '=', q.queue);
  if (q.agentId !== undefined) query = query.where('agent_id', '=', q.agentId);
  if (q.outcome !== undefined) query = query.where('outcome', '=', q.outcome);
  if (q.caller !== undefined) query = query.where('caller', '=', q.caller);
  if (cursor !== undefined) query = query.where('seq', '<', decodeCursor(cursor, { s: 'number' }).s);
  const rows = await query.orderBy('seq', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(toCallRowOut);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last !== undefined ? encodeCursor({ s: last.seq }) : null };
}

/**
 * The durable outbox. Per topic, seq comes from outbox_topics (its row is locked by the upsert
 * until commit, so seq order is commit order within a topic, and a purge never lets a seq be
 * reused). Claiming is one conditional UPDATE: an item leased by a concurrent claimer fails the
 * re-checked lease condition, so two claimers never get the same item.
 */
import type { Selectable } from 'kysely';
import type { OutboxItem, OutboxRow } from '../../app/records/records-db.js';
import { chunks } from './chunks.js';
import type { RecordsDialect } from './dialect.js';
import type { OutboxTable } from './tables.js';
import { inWriteTx, type RecordsKysely } from './write-tx.js';

const ROWS_PER_INSERT = 500;

export async function enqueueOutbox(db: RecordsKysely, dialect: RecordsDialect, items: readonly OutboxItem[]): Promise<void> {
  if (items.length === 0) return;
  await inWriteTx(db, dialect, null, (tx) => enqueueInTx(tx, items));
}

/** Inside the caller's transaction (a call's feed items are stored with the call). */
export async function enqueueInTx(tx: RecordsKysely, items: readonly OutboxItem[]): Promise<void> {
  const byId = new Map<string, OutboxItem>();
  for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
  for (const part of chunks([...byId.keys()], ROWS_PER_INSERT)) {
    const stored = await tx.selectFrom('outbox').select('id').where('id', 'in', part).execute();
    for (const s of stored) byId.delete(s.id);
  }
  const byTopic = new Map<string, OutboxItem[]>();
  for (const item of byId.values()) byTopic.set(item.topic, [...(byTopic.get(item.topic) ?? []), item]);
  // Topic rows are locked in one order by every writer: no deadlock between two batches.
  for (const topic of [...byTopic.keys()].sort()) {
    const fresh = byTopic.get(topic) ?? [];
    const { last_seq: last } = await tx.insertInto('outbox_topics')
      .values({ topic, last_seq: fresh.length })
      .onConflict((oc) => oc.column('topic').doUpdateSet((eb) => ({ last_seq: eb('outbox_topics.last_seq', '+', eb.ref('excluded.last_seq')) })))
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    let seq = last - fresh.length;
    const rows = fresh.map((item) => ({
      id: item.id, topic, seq: ++seq, body: item.body, created_at: item.createdAt,
      state: 'pending', attempts: 0, next_attempt_at: item.createdAt,
      lease_owner: null, lease_until: null, delivered_at: null, last_error: null,
    }));
    // A concurrent writer may have stored the same id since we looked: its seq stays a gap.
    for (const part of chunks(rows, ROWS_PER_INSERT)) {
      await tx.insertInto('outbox').values(part).onConflict((oc) => oc.column('id').doNothing()).execute();
    }
  }
}

export async function claimOutbox(db: RecordsKysely, node: string, now: number, leaseMs: number, limit: number): Promise<readonly OutboxRow[]> {
  const heads = db.selectFrom('outbox as o').select('o.id')
    .where('o.state', '=', 'pending')
    .where('o.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<=', now)]))
    .where((eb) => eb.not(eb.exists(
      eb.selectFrom('outbox as e').select('e.id')
        .whereRef('e.topic', '=', 'o.topic').where('e.state', '=', 'pending').whereRef('e.seq', '<', 'o.seq'),
    )))
    .orderBy('o.next_attempt_at').orderBy('o.created_at')
    .limit(limit);
  const rows = await db.updateTable('outbox')
    .set({ lease_owner: node, lease_until: now + leaseMs })
    .where('id', 'in', heads)
    // Re-checked on the row itself: what makes a concurrent claimer lose.
    .where('state', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .returningAll()
    .execute();
  return rows.map(toOutboxRow).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt);
}

export async function markDelivered(db: RecordsKysely, id: string, at: number): Promise<void> {
  await db.updateTable('outbox')
    .set({ state: 'delivered', delivered_at: at, lease_owner: null, lease_until: null, last_error: null })
    .where('id', '=', id).where('state', '=', 'pending')
    .execute();
}

export async function markFailed(db: RecordsKysely, id: string, error: string, nextAttemptAt: number, dead: boolean): Promise<void> {
  await db.updateTable('outbox')
    .set((eb) => ({
      state: dead ? 'dead' : 'pending',
      attempts: eb('attempts', '+', 1),
      last_error: error,
      next_attempt_at: nextAttemptAt,
      lease_owner: null,
      lease_until: null,
    }))
    .where('id', '=', id).where('state', '=', 'pending')
    .execute();
}

export async function outboxAfter(db: RecordsKysely, topic: string, afterSeq: number, limit: number): Promise<readonly OutboxRow[]> {
  const rows = await db.selectFrom('outbox').selectAll()
    .where('topic', '=', topic).where('seq', '>', afterSeq)
    .orderBy('seq').limit(limit)
    .execute();
  return rows.map(toOutboxRow);
}

export async function outboxCounts(db: RecordsKysely): Promise<{ pending: number; delivered: number; dead: number }> {
  const rows = await db.selectFrom('outbox').select((eb) => ['state', eb.fn.countAll().as('n')]).groupBy('state').execute();
  const counts = { pending: 0, delivered: 0, dead: 0 };
  for (const r of rows) if (r.state === 'pending' || r.state === 'delivered' || r.state === 'dead') counts[r.state] = Number(r.n);
  return counts;
}

function toOutboxRow(r: Selectable<OutboxTable>): OutboxRow {
  return {
    id: r.id,
    topic: r.topic,
    body: r.body,
    createdAt: r.created_at,
    seq: r.seq,
    attempts: r.attempts,
    state: r.state as OutboxRow['state'],
    nextAttemptAt: r.next_attempt_at,
    deliveredAt: r.delivered_at,
    lastError: r.last_error,
  };
}

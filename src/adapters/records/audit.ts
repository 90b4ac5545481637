/** The audit log: append (idempotent on id), read newest first in pages keyed by (at, id). */
import type { Selectable } from 'kysely';
import type { AuditEntry, Page } from '../../app/records/records-db.js';
import { chunks } from './chunks.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { AuditLogTable } from './tables.js';
import type { RecordsKysely } from './write-tx.js';

const ROWS_PER_INSERT = 1_000;

export async function appendAudit(db: RecordsKysely, entries: readonly AuditEntry[]): Promise<void> {
  for (const part of chunks(entries, ROWS_PER_INSERT)) {
    await db.insertInto('audit_log')
      .values(part.map((e) => ({
        id: e.id, at: e.at, actor: e.actor, role: e.role, action: e.action, target: e.target, result: e.result,
        detail: e.detail === undefined ? null : JSON.stringify(e.detail),
      })))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

export async function queryAudit(db: RecordsKysely, from: number, to: number, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  let query = db.selectFrom('audit_log').selectAll().where('at', '>=', from).where('at', '<', to);
  if (cursor !== undefined) {
    const after = decodeCursor(cursor, { a: 'number', i: 'string' });
    query = query.where((eb) => eb.or([eb('at', '<', after.a), eb.and([eb('at', '=', after.a), eb('id', '<', after.i)])]));
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(toEntry);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last !== undefined ? encodeCursor({ a: last.at, i: last.id }) : null };
}

function toEntry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: r.id, at: r.at, actor: r.actor, role: r.role, action: r.action, target: r.target, result: r.result,
    ...(r.detail !== null ? { detail: JSON.parse(r.detail) as Readonly<Record<string, unknown>> } : {}),
  };
}

/**
 * A write transaction on one connection, begun the dialect's way (see dialect.ts) and, when
 * asked, holding one of the dialect's write locks until it commits.
 */
import { sql, type Kysely } from 'kysely';
import type { RecordsDialect, WriteLock } from './dialect.js';
import type { RecordsTables } from './tables.js';

export type RecordsKysely = Kysely<RecordsTables>;

export async function inWriteTx<T>(
  db: RecordsKysely,
  dialect: RecordsDialect,
  lock: WriteLock | null,
  work: (tx: RecordsKysely) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(dialect.begin).execute(conn);
    try {
      if (lock !== null) await dialect.lock(conn, lock);
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      // The original error is what matters; a failed rollback means the connection is gone anyway.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

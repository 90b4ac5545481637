/**
 * Everything that differs between the two databases, in one place. The queries elsewhere are
 * plain Kysely and run unchanged on both.
 *
 * - Write transactions: SQLite starts them IMMEDIATE (the write lock is taken up front, so two
 *   openers of one file wait on busy_timeout instead of failing on a stale snapshot);
 *   PostgreSQL serialises migrations with a transaction-scoped advisory lock (the tables they
 *   would lock on may not exist yet).
 * - Auto-numbered columns: INTEGER PRIMARY KEY AUTOINCREMENT vs an identity column.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { RecordsTables } from './tables.js';

export type DialectKind = 'embedded' | 'postgres';

/** What a write transaction serialises on (PostgreSQL advisory lock keys). */
export type WriteLock = 'migrations';

/** First key of every advisory lock this adapter takes ('hotl'), so other users of the database do not collide. */
const LOCK_NAMESPACE = 0x686f746c;
const LOCK_KEYS: Readonly<Record<WriteLock, number>> = { migrations: 1 };

export interface RecordsDialect {
  readonly kind: DialectKind;
  readonly begin: string;
  /** Serialise this transaction with every other one taking the same lock, until commit. */
  lock(tx: Kysely<RecordsTables>, lock: WriteLock): Promise<void>;
  /** An auto-numbered primary key column (insertion order). */
  autoIncrementKey(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  readonly autoIncrementType: 'integer' | 'bigint';
}

export const embeddedDialect: RecordsDialect = {
  kind: 'embedded',
  begin: 'begin immediate',
  // One connection, and every write transaction is IMMEDIATE: already serialised.
  lock: () => Promise.resolve(),
  autoIncrementKey: (col) => col.primaryKey().autoIncrement(),
  autoIncrementType: 'integer',
};

export const postgresDialect: RecordsDialect = {
  kind: 'postgres',
  begin: 'begin',
  async lock(tx, lock) {
    await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${LOCK_KEYS[lock]})`.execute(tx);
  },
  autoIncrementKey: (col) => col.primaryKey().generatedAlwaysAsIdentity(),
  autoIncrementType: 'bigint',
};

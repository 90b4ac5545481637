/**
 * Opening the records database: DATABASE_URL (postgres://…) → PostgreSQL, shared by every
 * router node; otherwise an embedded SQLite file (default data/records.db), one node. The
 * schema is migrated before the first use either way.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Pool } from 'pg';
import { withStatementCache } from './statement-cache.js';
import type { Logger } from '../../lib/logger.js';
import type { RecordsDb } from '../../app/records/records-db.js';
import { embeddedDialect, postgresDialect, type RecordsDialect } from './dialect.js';
import { KyselyRecordsDb } from './kysely-records-db.js';
import { migrate } from './migrations.js';
import type { RecordsTables } from './tables.js';

export const DEFAULT_RECORDS_FILE = 'data/records.db';

export interface OpenRecordsOptions {
  /** postgres:// or postgresql:// — when set, PostgreSQL; the file is ignored */
  readonly databaseUrl?: string;
  /** the embedded database's file (default data/records.db; its directory is created) */
  readonly file?: string;
  readonly logger: Logger;
  /** PostgreSQL pool size (default 10) */
  readonly poolSize?: number;
}

export async function openRecordsDb(options: OpenRecordsOptions): Promise<RecordsDb> {
  const url = options.databaseUrl;
  if (url !== undefined && url !== '') {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL');
    return openPostgres(url, options.logger, options.poolSize);
  }
  return openEmbedded(options.file ?? DEFAULT_RECORDS_FILE, options.logger);
}

// Each driver is loaded only when its database is opened: a router on the embedded file never
// carries pg, one on PostgreSQL never loads the native SQLite module.
export async function openEmbedded(file: string, logger: Logger): Promise<RecordsDb> {
  const { default: Database } = await import('better-sqlite3');
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file, { timeout: 5_000 });
  // WAL: a commit is in the log file before insertCalls resolves, so a killed process loses
  // nothing it reported stored. synchronous=NORMAL syncs at checkpoints, not every commit:
  // only an OS crash or power cut can lose the last commits, and never corrupts the file.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection; the OS caches the file
  // anyway, and 4 MB keeps the indexes' hot pages, so the router's RSS stays small.
  sqlite.pragma('cache_size = -4000');
  const db = new Kysely<RecordsTables>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return ready(db, embeddedDialect, logger, { file });
}

/** int8 (bigint: epoch ms, counts) as a number — pg hands it back as a string by default. */
const INT8_OID = 20;
const parseInt8 = (value: string): number => Number(value);

export async function openPostgres(url: string, logger: Logger, poolSize = 10): Promise<RecordsDb> {
  const { default: pg } = await import('pg');
  const getTypeParser = ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
    oid === INT8_OID ? parseInt8 : (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown)) as typeof pg.types.getTypeParser;
  const pool: Pool = new pg.Pool({ connectionString: url, max: poolSize, types: { getTypeParser } });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', (err) => logger.warn({ err }, 'records database: idle connection failed'));
  const db = new Kysely<RecordsTables>({ dialect: new PostgresDialect({ pool }) });
  return ready(db, postgresDialect, logger, { host: safeHost(url) });
}

async function ready(db: Kysely<RecordsTables>, dialect: RecordsDialect, logger: Logger, where: Record<string, string>): Promise<RecordsDb> {
  try {
    const { from, to } = await migrate(db, dialect, Date.now());
    if (from !== to) logger.info({ kind: dialect.kind, ...where, from, to }, 'records database migrated');
    logger.info({ kind: dialect.kind, ...where, schemaVersion: to }, 'records database open');
    return new KyselyRecordsDb(db, dialect);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
}

/** host:port/db for logs, never the password. */
function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}

/**
 * better-sqlite3 statements kept for reuse. Kysely's SQLite driver prepares every query anew;
 * SQLite's prepare (parse + plan) cost more of the router's CPU per call than running the
 * insert itself, and the records path issues the same dozen statements for every call. The
 * cache is bounded (a batch insert's SQL differs with its row count) and least recently used
 * goes first. Reusing a statement is safe while none is iterated (`.stream()`), which nothing here
 * does: a statement still being iterated throws "busy" rather than mixing results.
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export const STATEMENT_CACHE_SIZE = 128;

export function withStatementCache(db: SqliteDatabase, max = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => { cache.clear(); db.close(); },
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit !== undefined) {
        // Map order is insertion order: re-inserting makes it the most recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
      return stmt;
    },
  };
}

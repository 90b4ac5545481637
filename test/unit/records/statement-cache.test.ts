import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../../src/adapters/records/statement-cache.js';

function counted() {
  const db = new Database(':memory:');
  let prepared = 0;
  const inner = { close: () => db.close(), prepare: (sql: string) => { prepared += 1; return db.prepare(sql); } };
  return { inner, prepared: () => prepared };
}

describe('statement cache', () => {
  it('prepares a statement once and reuses it, with the same results', () => {
    const { inner, prepared } = counted();
    const db = withStatementCache(inner);
    db.prepare('create table t (n integer)').run([]);
    for (let n = 0; n < 5; n += 1) db.prepare('insert into t (n) values (?)').run([n]);
    const rows = db.prepare('select n from t order by n').all([]);
    expect(rows).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
    expect(prepared()).toBe(3);
    db.close();
  });

  it('keeps at most `max` statements, dropping the least recently used', () => {
    const { inner, prepared } = counted();
    const db = withStatementCache(inner, 2);
    db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 1');
    db.prepare('select 3');
    expect(prepared()).toBe(3);
    db.prepare('select 1');
    expect(prepared()).toBe(3);
    db.prepare('select 2');
    expect(prepared()).toBe(4);
    db.close();
  });
});

/**
 * Versioned schema migrations, run when the adapter opens: in one transaction that holds the
 * migrations lock, so two nodes opening one PostgreSQL database at once apply each step once
 * (the second waits, then finds nothing to do). A database at a version newer than this code
 * is refused (SchemaTooNewError) rather than misread.
 *
 * Append a migration to change the schema; never edit one that has shipped.
 */
import { SchemaTooNewError } from '../../app/records/records-db.js';
import type { RecordsDialect } from './dialect.js';
import { inWriteTx, type RecordsKysely } from './write-tx.js';

interface Migration {
  readonly version: number;
  up(tx: RecordsKysely, dialect: RecordsDialect): Promise<void>;
}

const v1: Migration = {
  version: 1,
  async up(tx, d) {
    const s = tx.schema;
    await s.createTable('call_records')
      .addColumn('seq', d.autoIncrementType, (c) => c.primaryKey())
      .addColumn('call_sid', 'text', (c) => c.notNull().unique())
      .addColumn('caller', 'text')
      .addColumn('caller_masked', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('dialed', 'text')
      .addColumn('line', 'text')
      .addColumn('mode', 'text')
      .addColumn('queue', 'text')
      .addColumn('agent_id', 'text')
      .addColumn('arrived_at', 'bigint', (c) => c.notNull())
      .addColumn('queued_at', 'bigint')
      .addColumn('answered_at', 'bigint')
      .addColumn('ended_at', 'bigint', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('wait_seconds', 'double precision')
      .addColumn('wait_from_arrival_seconds', 'double precision')
      .addColumn('survey', 'text')
      .addColumn('hangup_cause', 'text')
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('switch', 'text')
      .addColumn('fs_uuid', 'text', (c) => c.notNull())
      .addColumn('hops', 'text', (c) => c.notNull())
      .addColumn('agents_tried', 'text', (c) => c.notNull())
      .addColumn('transfers', 'text')
      .addColumn('rejected', 'text')
      .addColumn('error', 'text')
      .execute();
    await s.createIndex('call_records_arrived').on('call_records').columns(['arrived_at', 'seq']).execute();
    // Searches filter on one of these and page newest first by seq.
    for (const col of ['caller', 'agent_id', 'queue', 'outcome', 'line'] as const) {
      await s.createIndex(`call_records_${col}`).on('call_records').columns([col, 'seq']).execute();
    }

    await s.createTable('sequences')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('last', 'bigint', (c) => c.notNull())
      .execute();
    await tx.insertInto('sequences').values({ name: 'calls', last: 0 }).execute();

    await s.createTable('agent_state_log')
      .addColumn('seq', d.autoIncrementType, (c) => d.autoIncrementKey(c))
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('call_id', 'text')
      .addColumn('node', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('agent_state_log_agent_at').on('agent_state_log').columns(['agent_id', 'at']).execute();
    await s.createIndex('agent_state_log_at').on('agent_state_log').column('at').execute();

    await s.createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('delivered_at', 'bigint')
      .addColumn('last_error', 'text')
      .addUniqueConstraint('outbox_topic_seq', ['topic', 'seq'])
      .execute();
    // A topic's head: its lowest-seq pending item.
    await s.createIndex('outbox_state_topic_seq').on('outbox').columns(['state', 'topic', 'seq']).execute();
    await s.createIndex('outbox_created').on('outbox').column('created_at').execute();
    await s.createTable('outbox_topics')
      .addColumn('topic', 'text', (c) => c.primaryKey())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .execute();

    await s.createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
    await s.createIndex('audit_log_at_id').on('audit_log').columns(['at', 'id']).execute();

    await s.createTable('daily_reports')
      .addColumn('date', 'text', (c) => c.primaryKey())
      .addColumn('report', 'text', (c) => c.notNull())
      .execute();
  },
};

/** Shed and demo calls keep their flags in the database, so a report or an export can tell them apart. */
const v2: Migration = {
  version: 2,
  async up(tx) {
    await tx.schema.alterTable('call_records').addColumn('shed', 'text').execute();
    await tx.schema.alterTable('call_records').addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};

const MIGRATIONS: readonly Migration[] = [v1, v2];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
}

export async function currentVersion(db: RecordsKysely): Promise<number> {
  const row = await db.selectFrom('schema_version').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** Brings the database to SCHEMA_VERSION; throws SchemaTooNewError if it is already past it. */
export async function migrate(db: RecordsKysely, dialect: RecordsDialect, now: number, known = MIGRATIONS): Promise<MigrationResult> {
  const target = known.length;
  return inWriteTx(db, dialect, 'migrations', async (tx) => {
    await tx.schema.createTable('schema_version').ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    const from = await currentVersion(tx);
    if (from > target) throw new SchemaTooNewError(from, target);
    for (const m of known.slice(from)) {
      await m.up(tx, dialect);
      await tx.insertInto('schema_version').values({ version: m.version, applied_at: now }).execute();
    }
    return { from, to: target };
  });
}


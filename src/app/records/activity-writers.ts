/**
 * The agent state log and the audit log on their way to the records database, through the same
 * kind of bounded retry buffer as call records: an agent's click or an API change never waits on
 * the database, and a short outage delays the rows without losing them (past the bound the
 * oldest are dropped and counted). Ids are made here, unique per node and run, so a retried
 * batch never doubles a row.
 */
import type { AcdEvent } from '../acd/acd-model.js';
import type { Clock } from '../../core/ports.js';
import type { Timers } from '../timers.js';
import type { AgentStateEvent, AuditEntry, RecordsDb } from './records-db.js';
import { RetryBuffer, type BufferLog, type BufferStats } from './retry-buffer.js';

export interface ActivityWriterDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  /** this router node's id */
  readonly node: string;
  /** distinguishes this run's ids from a previous run's on the same node */
  readonly run: string;
  readonly log?: BufferLog;
  readonly capacity?: number;
  readonly batchSize?: number;
}

const CAPACITY = 20_000;
const BATCH = 200;

/** One retry buffer of rows whose ids this writer makes. */
class IdStampingBuffer<T> {
  private readonly buffer: RetryBuffer<T>;
  private n = 0;

  constructor(name: string, write: (batch: readonly T[]) => Promise<void>, private readonly deps: ActivityWriterDeps) {
    this.buffer = new RetryBuffer({
      name, clock: deps.clock, timers: deps.timers, capacity: deps.capacity ?? CAPACITY, batchSize: deps.batchSize ?? BATCH,
      write, ...(deps.log === undefined ? {} : { log: deps.log }),
    });
  }

  add(row: (id: string) => T): void {
    this.buffer.add(row(`${this.deps.node}:${this.deps.run}:${(this.n += 1).toString(36)}`));
  }

  get stats(): BufferStats { return this.buffer.stats; }
  drained(): Promise<void> { return this.buffer.drained(); }
  close(deadline: number): Promise<number> { return this.buffer.close(deadline); }
}

export class AgentLogWriter {
  private readonly rows: IdStampingBuffer<AgentStateEvent>;

  constructor(db: Pick<RecordsDb, 'appendAgentEvents'>, private readonly deps: ActivityWriterDeps) {
    this.rows = new IdStampingBuffer('agent events', (batch) => db.appendAgentEvents(batch), deps);
  }

  /** Pass every ACD event; only agent state changes are kept. */
  onAcdEvent(e: AcdEvent): void {
    if (e.type !== 'agent-state') return;
    this.rows.add((id) => ({
      id, agentId: e.agentId, at: e.at, status: e.status, node: this.deps.node,
      ...(e.reason === undefined ? {} : { reason: e.reason }), ...(e.callId === undefined ? {} : { callId: e.callId }),
    }));
  }

  get stats(): BufferStats { return this.rows.stats; }
  drained(): Promise<void> { return this.rows.drained(); }
  close(deadline: number): Promise<number> { return this.rows.close(deadline); }
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

export class AuditWriter {
  private readonly rows: IdStampingBuffer<AuditEntry>;

  constructor(db: Pick<RecordsDb, 'appendAudit'>, private readonly deps: ActivityWriterDeps) {
    this.rows = new IdStampingBuffer('audit entries', (batch) => db.appendAudit(batch), deps);
  }

  add(entry: AuditInput): void {
    this.rows.add((id) => ({ ...entry, id, at: this.deps.clock.now() }));
  }

  get stats(): BufferStats { return this.rows.stats; }
  drained(): Promise<void> { return this.rows.drained(); }
  close(deadline: number): Promise<number> { return this.rows.close(deadline); }
}

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

export class AgentLogWriter {
  private readonly buffer: RetryBuffer<AgentStateEvent>;
  private n = 0;

  constructor(db: Pick<RecordsDb, 'appendAgentEvents'>, private readonly deps: ActivityWriterDeps) {
    this.buffer = new RetryBuffer({
      name: 'agent events', clock: deps.clock, timers: deps.timers, capacity: deps.capacity ?? CAPACITY, batchSize: deps.batchSize ?? BATCH,
      write: (batch) => db.appendAgentEvents(batch), ...(deps.log === undefined ? {} : { log: deps.log }),
    });
  }

  /** Pass every ACD event; only agent state changes are kept. */
  onAcdEvent(e: AcdEvent): void {
    if (e.type !== 'agent-state') return;
    this.buffer.add({
      id: `${this.deps.node}:${this.deps.run}:${(this.n += 1).toString(36)}`, agentId: e.agentId, at: e.at, status: e.status, node: this.deps.node,
      ...(e.reason === undefined ? {} : { reason: e.reason }), ...(e.callId === undefined ? {} : { callId: e.callId }),
    });
  }

  get stats(): BufferStats { return this.buffer.stats; }
  drained(): Promise<void> { return this.buffer.drained(); }
  close(deadline: number): Promise<number> { return this.buffer.close(deadline); }
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at'>;

export class AuditWriter {
  private readonly buffer: RetryBuffer<AuditEntry>;
  private n = 0;

  constructor(db: Pick<RecordsDb, 'appendAudit'>, private readonly deps: ActivityWriterDeps) {
    this.buffer = new RetryBuffer({
      name: 'audit entries', clock: deps.clock, timers: deps.timers, capacity: deps.capacity ?? CAPACITY, batchSize: deps.batchSize ?? BATCH,
      write: (batch) => db.appendAudit(batch), ...(deps.log === undefined ? {} : { log: deps.log }),
    });
  }

  add(entry: AuditInput): void {
    this.buffer.add({ ...entry, id: `${this.deps.node}:${this.deps.run}:${(this.n += 1).toString(36)}`, at: this.deps.clock.now() });
  }

  get stats(): BufferStats { return this.buffer.stats; }
  drained(): Promise<void> { return this.buffer.drained(); }
  close(deadline: number): Promise<number> { return this.buffer.close(deadline); }
}

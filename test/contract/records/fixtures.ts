/** Builders for the records contract: calls, feed items, agent events, audit entries. */
import { afterEach, beforeEach } from 'vitest';
import type { AgentStateEvent, AuditEntry, OutboxItem, RecordsDb, StoredCall } from '../../../src/app/records/records-db.js';
import type { CallRecord } from '../../../src/core/call/index.js';

export const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
export const DAY = 86_400_000;

/** What each suite runs against: a fresh empty database per `fresh()`. */
export interface RecordsTarget {
  readonly name: string;
  /** false: skip the suites (with the reason already printed) */
  readonly available: boolean;
  fresh(): Promise<FreshDb>;
}

export interface FreshDb {
  readonly db: RecordsDb;
  /** A second handle on the same data, as another router node would have (embedded: the same one). */
  another(): Promise<RecordsDb>;
  /** Close `db` and open the same data again. */
  reopen(): Promise<RecordsDb>;
  /** Open the same data again, as a new process would (migrations run). */
  openAgain(): Promise<RecordsDb>;
  /** Record a schema version past this build's in the database, as a newer build would. */
  stampVersion(version: number): Promise<void>;
  /** Close every handle opened on it. */
  dispose(): Promise<void>;
}

export function record(i: number, over: Partial<CallRecord> = {}): CallRecord {
  const arrivedAt = T0 + i * 1_000;
  return {
    callSid: `call-${i}`,
    fsUuid: `fs-${i}`,
    caller: `1380000${String(i).padStart(4, '0')}`,
    dialed: '12345',
    line: '12345',
    mode: 'hotline',
    queue: 'general',
    hops: [],
    arrivedAt,
    queuedAt: arrivedAt + 5_000,
    answeredAt: arrivedAt + 20_000,
    agentId: 'a1',
    agentsTried: ['a1'],
    endedAt: arrivedAt + 120_000,
    outcome: 'answered',
    waitSeconds: 15,
    waitFromArrivalSeconds: 20,
    survey: 'satisfied',
    hangupCause: 'NORMAL_CLEARING',
    ...over,
  };
}

export const stored = (r: CallRecord, node = 'node-a', sw?: string): StoredCall => ({ record: r, node, ...(sw !== undefined ? { switch: sw } : {}) });

export function calls(from: number, count: number, over: (i: number) => Partial<CallRecord> = () => ({})): StoredCall[] {
  return Array.from({ length: count }, (_, k) => stored(record(from + k, over(from + k))));
}

export const item = (id: string, topic: string, createdAt = T0, body = `{"id":"${id}"}`): OutboxItem => ({ id, topic, body, createdAt });

export function agentEvent(id: string, agentId: string, at: number, status: AgentStateEvent['status'], extra: Partial<AgentStateEvent> = {}): AgentStateEvent {
  return { id, agentId, at, status, node: 'node-a', ...extra };
}

export function auditEntry(i: number, at: number): AuditEntry {
  return { id: `audit-${String(i).padStart(3, '0')}`, at, actor: 'alice', role: 'supervisor', action: 'agent.logout', target: `a${i}`, result: '200', detail: { i } };
}

/** A fresh empty database for each test of the calling `describe`, disposed after it. */
export function useFreshDb(target: RecordsTarget): () => FreshDb {
  let current: FreshDb | undefined;
  beforeEach(async () => { current = await target.fresh(); });
  afterEach(async () => { await current?.dispose(); current = undefined; });
  return () => {
    if (current === undefined) throw new Error('useFreshDb: no database outside a test');
    return current;
  };
}

/**
 * A RecordsDb in memory for unit and route tests: the port's semantics (idempotent inserts, seq
 * in insertion order, newest-first pages with an opaque cursor) without a database. `down`
 * makes every call fail, as a database that is away would.
 */
import type {
  AgentStateEvent, AuditEntry, CallQuery, CallRow, OutboxItem, OutboxRow, Page, PurgeCounts, RecordsDb, StoredCall,
} from '../../src/app/records/records-db.js';
import type { CallRecord } from '../../src/core/call/index.js';

class BadCursor extends Error {
  readonly code = 'HOTLINE_ERR_BAD_CURSOR';
}

const encode = (n: number): string => Buffer.from(JSON.stringify({ s: n })).toString('base64url');
function decode(c: string): number {
  try {
    const v = (JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as { s?: unknown }).s;
    if (typeof v === 'number') return v;
  } catch { /* fall through */ }
  throw new BadCursor('invalid page cursor');
}

export class MemoryRecordsDb implements RecordsDb {
  readonly kind = 'memory';
  down = false;
  /** every insertCalls batch as it arrived (order checks) */
  readonly batches: string[][] = [];
  readonly calls: CallRow[] = [];
  readonly agentLog: AgentStateEvent[] = [];
  readonly audit: AuditEntry[] = [];
  readonly reports = new Map<string, unknown>();
  private seq = 0;

  private check(): Promise<void> {
    return this.down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : Promise.resolve();
  }

  async insertCalls(calls: readonly StoredCall[], _feed?: readonly OutboxItem[]): Promise<void> {
    await this.check();
    this.batches.push(calls.map((c) => c.record.callSid));
    for (const c of calls) {
      if (this.calls.some((r) => r.record.callSid === c.record.callSid)) continue;
      this.calls.push({ ...c, seq: (this.seq += 1) });
    }
  }

  async callsAfter(afterSeq: number, limit: number): Promise<readonly CallRow[]> {
    await this.check();
    return this.calls.filter((r) => r.seq > afterSeq).slice(0, limit);
  }

  async callsArrivedBetween(from: number, to: number): Promise<readonly CallRecord[]> {
    await this.check();
    return this.calls.filter((r) => r.record.arrivedAt >= from && r.record.arrivedAt < to)
      .sort((a, b) => a.record.arrivedAt - b.record.arrivedAt || a.seq - b.seq).map((r) => r.record);
  }

  async queryCalls(q: CallQuery, limit: number, cursor?: string): Promise<Page<CallRow>> {
    await this.check();
    const before = cursor === undefined ? Number.POSITIVE_INFINITY : decode(cursor);
    const rows = this.calls.filter((row) => {
      const r = row.record;
      return row.seq < before && (q.from === undefined || r.arrivedAt >= q.from) && (q.to === undefined || r.arrivedAt < q.to)
        && (q.lines === undefined || (r.line !== undefined && q.lines.includes(r.line)))
        && (q.queue === undefined || r.queue === q.queue) && (q.agentId === undefined || r.agentId === q.agentId)
        && (q.outcome === undefined || r.outcome === q.outcome) && (q.caller === undefined || r.caller === q.caller);
    }).sort((a, b) => b.seq - a.seq);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { rows: page, next: rows.length > limit && last !== undefined ? encode(last.seq) : null };
  }

  async findCall(callSid: string): Promise<CallRow | null> {
    await this.check();
    return this.calls.find((r) => r.record.callSid === callSid) ?? null;
  }

  async appendAgentEvents(events: readonly AgentStateEvent[]): Promise<void> {
    await this.check();
    for (const e of events) if (!this.agentLog.some((x) => x.id === e.id)) this.agentLog.push(e);
  }

  async agentEvents(from: number, to: number, agentId?: string): Promise<readonly AgentStateEvent[]> {
    await this.check();
    const mine = this.agentLog.filter((e) => agentId === undefined || e.agentId === agentId);
    const lastBefore = new Map<string, AgentStateEvent>();
    for (const e of mine) if (e.at < from) lastBefore.set(e.agentId, e);
    return [...lastBefore.values(), ...mine.filter((e) => e.at >= from && e.at < to)].sort((a, b) => a.at - b.at);
  }

  enqueueOutbox(): Promise<void> { return this.check(); }
  async claimOutbox(): Promise<readonly OutboxRow[]> { await this.check(); return []; }
  markDelivered(): Promise<void> { return this.check(); }
  markFailed(): Promise<void> { return this.check(); }
  async outboxAfter(): Promise<readonly OutboxRow[]> { await this.check(); return []; }
  async outboxCounts() { await this.check(); return { pending: 0, delivered: 0, dead: 0 }; }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    await this.check();
    for (const e of entries) if (!this.audit.some((x) => x.id === e.id)) this.audit.push(e);
  }

  async queryAudit(from: number, to: number, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
    await this.check();
    const all = this.audit.filter((e) => e.at >= from && e.at < to).sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
    const start = cursor === undefined ? 0 : decode(cursor);
    const rows = all.slice(start, start + limit);
    return { rows, next: start + limit < all.length ? encode(start + limit) : null };
  }

  async putReport(date: string, report: unknown): Promise<void> {
    await this.check();
    this.reports.set(date, report);
  }

  async getReport(date: string): Promise<unknown> {
    await this.check();
    return this.reports.get(date) ?? null;
  }

  async purge(): Promise<PurgeCounts> {
    await this.check();
    return { callRecords: 0, callerNumbersMasked: 0, agentLog: 0, audit: 0, reports: 0, outbox: 0 };
  }

  schemaVersion(): Promise<number> { return Promise.resolve(1); }
  close(): Promise<void> { return Promise.resolve(); }
}

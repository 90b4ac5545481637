/**
 * The outbox part of the RecordsDb port in memory, with the same lease rules the database
 * adapters implement (one due item per topic, lowest seq first, leased): for worker unit tests
 * and for two workers sharing one store. `down = true` makes every call fail as an unreachable
 * database would.
 */
import type { OutboxItem, OutboxRow, PurgeCounts, RecordsDb } from '../../src/app/records/records-db.js';

interface Row {
  item: OutboxItem;
  seq: number;
  attempts: number;
  state: OutboxRow['state'];
  nextAttemptAt: number;
  deliveredAt: number | null;
  lastError: string | null;
  leaseUntil: number;
  leasedBy: string | null;
}

export class MemoryOutboxDb implements Pick<RecordsDb, 'enqueueOutbox' | 'claimOutbox' | 'markDelivered' | 'markFailed' | 'outboxAfter' | 'outboxCounts' | 'purge'> {
  private readonly rows = new Map<string, Row>();
  private seq = 0;
  down = false;

  private check(): void {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  }

  private row(r: Row): OutboxRow {
    return { ...r.item, seq: r.seq, attempts: r.attempts, state: r.state, nextAttemptAt: r.nextAttemptAt, deliveredAt: r.deliveredAt, lastError: r.lastError };
  }

  enqueueOutbox(items: readonly OutboxItem[]): Promise<void> {
    this.check();
    for (const item of items) {
      if (this.rows.has(item.id)) continue;
      this.rows.set(item.id, { item, seq: (this.seq += 1), attempts: 0, state: 'pending', nextAttemptAt: item.createdAt, deliveredAt: null, lastError: null, leaseUntil: 0, leasedBy: null });
    }
    return Promise.resolve();
  }

  claimOutbox(node: string, now: number, leaseMs: number, limit: number): Promise<readonly OutboxRow[]> {
    this.check();
    const heads = new Map<string, Row>();
    for (const r of this.rows.values()) {
      if (r.state !== 'pending') continue;
      const head = heads.get(r.item.topic);
      if (head === undefined || r.seq < head.seq) heads.set(r.item.topic, r);
    }
    const out: OutboxRow[] = [];
    for (const r of [...heads.values()].sort((a, b) => a.seq - b.seq)) {
      if (out.length >= limit) break;
      if (r.leaseUntil > now || r.nextAttemptAt > now) continue;
      r.leaseUntil = now + leaseMs;
      r.leasedBy = node;
      out.push(this.row(r));
    }
    return Promise.resolve(out);
  }

  markDelivered(id: string, at: number): Promise<void> {
    this.check();
    const r = this.rows.get(id);
    if (r !== undefined) Object.assign(r, { state: 'delivered', deliveredAt: at, leaseUntil: 0, leasedBy: null });
    return Promise.resolve();
  }

  markFailed(id: string, error: string, nextAttemptAt: number, dead: boolean): Promise<void> {
    this.check();
    const r = this.rows.get(id);
    if (r !== undefined) Object.assign(r, { attempts: r.attempts + 1, lastError: error, nextAttemptAt, state: dead ? 'dead' : 'pending', leaseUntil: 0, leasedBy: null });
    return Promise.resolve();
  }

  outboxAfter(topic: string, afterSeq: number, limit: number): Promise<readonly OutboxRow[]> {
    this.check();
    return Promise.resolve([...this.rows.values()].filter((r) => r.item.topic === topic && r.seq > afterSeq).sort((a, b) => a.seq - b.seq).slice(0, limit).map((r) => this.row(r)));
  }

  outboxCounts(): Promise<{ pending: number; delivered: number; dead: number }> {
    this.check();
    const c = { pending: 0, delivered: 0, dead: 0 };
    for (const r of this.rows.values()) c[r.state] += 1;
    return Promise.resolve(c);
  }

  /** Outbox rows only: delivered and dead items older than outboxDays. */
  purge(policy: { readonly outboxDays?: number }, now: number): Promise<PurgeCounts> {
    this.check();
    let outbox = 0;
    const days = policy.outboxDays;
    if (days !== undefined) {
      for (const [id, r] of this.rows) {
        if (r.state !== 'pending' && r.item.createdAt < now - days * 86_400_000) { this.rows.delete(id); outbox += 1; }
      }
    }
    return Promise.resolve({ callRecords: 0, callerNumbersMasked: 0, agentLog: 0, audit: 0, reports: 0, outbox });
  }

  /** Test view: every row by id. */
  get(id: string): OutboxRow | undefined {
    const r = this.rows.get(id);
    return r === undefined ? undefined : this.row(r);
  }
}

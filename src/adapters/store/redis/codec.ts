/**
 * The store's values on the wire: how agents and queue entries are written to and read back
 * from the rows the Lua scripts return, and the exact order key of a waiting caller.
 *
 * Order key: callers live in a ZSET with every score 0, so Redis orders them by member bytes.
 * The member is fixed-width decimal, compared lexicographically = numerically:
 *     PP                 99 − priority      (2 digits: higher priority sorts first)
 *     SSSSSSSSSSSSSSSS   seniority          (16 digits: any safe integer ≥ 0, epoch ms included)
 *     QQQQQQQQQQQQQQQQ   seq                (16 digits)
 *     callId                                 (unique, so the member is unique)
 * Nothing goes through a double, so ordering stays exact up to 2^53 − 1 in both fields, and
 * ZRANK gives the 1-based position in O(log n).
 */
import type { AgentSnapshot, AgentState, QueueEntry } from '../../../core/acd/types.js';

export const ORDER_HEAD_WIDTH = 2 + 16 + 16;
const MAX_PRIORITY = 99;

function pad16(n: number): string {
  return String(n).padStart(16, '0');
}

function checkOrderField(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a safe integer ≥ 0 for the Redis store, got ${n}`);
}

/** The part of the order key known before seq: priority and seniority. */
export function orderHead(priority: number, seniority: number): string {
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw new RangeError(`priority must be an integer 0..${MAX_PRIORITY}, got ${priority}`);
  }
  checkOrderField('seniority', seniority);
  return String(MAX_PRIORITY - priority).padStart(2, '0') + pad16(seniority);
}

export function checkSeq(seq: number): void {
  checkOrderField('seq', seq);
}

/** Field order of an agent row (Lua HMGET and the decoder below agree on it). */
export const AGENT_ROW = ['id', 'skills', 'queues', 'state', 'since', 'idle', 'v'] as const;
/**
 * Field order of an entry row; `line`, `from`, `owner` and `caller` come presence-marked ('+value'
 * or '-'). A field added later goes last and optional: an entry an older node wrote has no such
 * hash field, reads back '-' and decodes without it (a rolling upgrade mixes both).
 */
export const ENTRY_ROW = ['call', 'queue', 'priority', 'seniority', 'seq', 'enq', 'line', 'from', 'owner', 'caller'] as const;

/** What a state change writes besides the state JSON, so Lua can index without parsing it. */
export interface StateFields {
  readonly status: string;
  readonly state: string;
  readonly since: string;
  readonly idle: string;
  readonly call: string;
  /** '' when the agent holds no reservation */
  readonly reservedUntil: string;
}

export function stateFields(agent: AgentSnapshot): StateFields {
  const s = agent.state;
  return {
    status: s.status,
    state: JSON.stringify(s),
    since: String(agent.since),
    idle: agent.idleSince === null ? '' : String(agent.idleSince),
    call: 'callId' in s ? s.callId : '',
    reservedUntil: 'reservedUntil' in s ? String(s.reservedUntil) : '',
  };
}

export class CorruptRowError extends Error {
  constructor(what: string) {
    super(`redis store: unexpected reply (${what})`);
    this.name = 'CorruptRowError';
  }
}

function str(row: readonly unknown[], i: number, what: string): string {
  const v = row[i];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Buffer.isBuffer(v)) return v.toString();
  throw new CorruptRowError(`${what} at ${i}: ${String(v)}`);
}

/** Decode the agent row starting at `at`. */
export function decodeAgent(row: readonly unknown[], at = 0): AgentSnapshot {
  const idle = str(row, at + 5, 'idle');
  return {
    id: str(row, at, 'id'),
    skills: JSON.parse(str(row, at + 1, 'skills')) as Record<string, number>,
    queues: JSON.parse(str(row, at + 2, 'queues')) as string[],
    state: JSON.parse(str(row, at + 3, 'state')) as AgentState,
    since: Number(str(row, at + 4, 'since')),
    idleSince: idle === '' ? null : Number(idle),
    version: Number(str(row, at + 6, 'version')),
  };
}

/** Decode every agent row of a flat list of rows. */
export function decodeAgents(rows: unknown): AgentSnapshot[] {
  if (!Array.isArray(rows)) throw new CorruptRowError('agent list');
  const out: AgentSnapshot[] = [];
  for (let at = 0; at < rows.length; at += AGENT_ROW.length) out.push(decodeAgent(rows, at));
  return out;
}

type MutableEntry = { -readonly [K in keyof QueueEntry]: QueueEntry[K] };

/** Decode the entry row starting at `at`. */
export function decodeEntry(row: readonly unknown[], at = 0): QueueEntry {
  const entry: MutableEntry = {
    callId: str(row, at, 'callId'),
    queueId: str(row, at + 1, 'queueId'),
    priority: Number(str(row, at + 2, 'priority')),
    seniority: Number(str(row, at + 3, 'seniority')),
    seq: Number(str(row, at + 4, 'seq')),
    enqueuedAt: Number(str(row, at + 5, 'enqueuedAt')),
  };
  const line = str(row, at + 6, 'line');
  if (line.startsWith('+')) entry.line = line.slice(1);
  const from = str(row, at + 7, 'overflowedFrom');
  if (from.startsWith('+')) entry.overflowedFrom = from.slice(1);
  const owner = str(row, at + 8, 'owner');
  if (owner.startsWith('+')) entry.owner = owner.slice(1);
  const caller = str(row, at + 9, 'caller');
  if (caller.startsWith('+')) entry.caller = caller.slice(1);
  return entry;
}

export function decodeEntries(rows: unknown): QueueEntry[] {
  if (!Array.isArray(rows)) throw new CorruptRowError('entry list');
  const out: QueueEntry[] = [];
  for (let at = 0; at < rows.length; at += ENTRY_ROW.length) out.push(decodeEntry(rows, at));
  return out;
}

/** An entry row, or null for the empty reply scripts give when nobody matched. */
export function decodeEntryOrNull(row: unknown): QueueEntry | null {
  if (!Array.isArray(row)) throw new CorruptRowError('entry');
  return row.length === 0 ? null : decodeEntry(row);
}

/** Encode an optional string field for ARGV: '-' absent, '+value' present. */
export function optional(v: string | undefined): string {
  return v === undefined ? '-' : `+${v}`;
}

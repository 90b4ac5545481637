/** A stored call ⇄ its call_records row: typed columns for what queries filter on, JSON text for the lists. */
import type { Selectable } from 'kysely';
import type { CallRow, StoredCall } from '../../app/records/records-db.js';
import type { CallRecord } from '../../core/call/index.js';
import type { CallRecordsTable } from './tables.js';

type Row = Selectable<CallRecordsTable>;

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const jsonOrNull = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export function toCallRow(call: StoredCall, seq: number): Row {
  const r = call.record;
  return {
    seq,
    call_sid: r.callSid,
    caller: orNull(r.caller),
    caller_masked: 0,
    dialed: orNull(r.dialed),
    line: orNull(r.line),
    mode: orNull(r.mode),
    queue: orNull(r.queue),
    agent_id: orNull(r.agentId),
    arrived_at: r.arrivedAt,
    queued_at: orNull(r.queuedAt),
    answered_at: orNull(r.answeredAt),
    ended_at: r.endedAt,
    outcome: r.outcome,
    wait_seconds: orNull(r.waitSeconds),
    wait_from_arrival_seconds: orNull(r.waitFromArrivalSeconds),
    survey: orNull(r.survey),
    hangup_cause: orNull(r.hangupCause),
    node: call.node,
    switch: orNull(call.switch),
    fs_uuid: r.fsUuid,
    hops: JSON.stringify(r.hops),
    agents_tried: JSON.stringify(r.agentsTried),
    transfers: jsonOrNull(r.transfers),
    rejected: jsonOrNull(r.rejected),
    error: orNull(r.error),
    shed: orNull(r.shed),
    demo: r.demo === true ? 1 : 0,
  };
}

/** Most calls have no hops: one shared empty list, no parse, no allocation (the lists are readonly). */
const EMPTY: readonly never[] = Object.freeze([]);
const parseList = <T>(json: string): T => (json === '[]' ? EMPTY : JSON.parse(json)) as T;

// One object literal and plain assignments, no spreads: this runs ~100,000 times a rebuild.
export function toRecord(row: Row): CallRecord {
  const record: { -readonly [K in keyof CallRecord]: CallRecord[K] } = {
    callSid: row.call_sid,
    fsUuid: row.fs_uuid,
    line: orUndefined(row.line),
    mode: orUndefined(row.mode) as CallRecord['mode'],
    queue: orUndefined(row.queue),
    hops: parseList<CallRecord['hops']>(row.hops),
    arrivedAt: row.arrived_at,
    queuedAt: orUndefined(row.queued_at),
    answeredAt: orUndefined(row.answered_at),
    agentId: orUndefined(row.agent_id),
    agentsTried: parseList<CallRecord['agentsTried']>(row.agents_tried),
    endedAt: row.ended_at,
    outcome: row.outcome as CallRecord['outcome'],
    waitSeconds: orUndefined(row.wait_seconds),
    waitFromArrivalSeconds: orUndefined(row.wait_from_arrival_seconds),
    survey: orUndefined(row.survey) as CallRecord['survey'],
    hangupCause: orUndefined(row.hangup_cause),
  };
  if (row.caller !== null) record.caller = row.caller;
  if (row.dialed !== null) record.dialed = row.dialed;
  if (row.rejected !== null) record.rejected = JSON.parse(row.rejected) as CallRecord['rejected'];
  if (row.error !== null) record.error = row.error;
  if (row.transfers !== null) record.transfers = JSON.parse(row.transfers) as CallRecord['transfers'];
  if (row.shed !== null) record.shed = row.shed as CallRecord['shed'];
  if (row.demo === 1) record.demo = true;
  return record;
}

export function toCallRowOut(row: Row): CallRow {
  return {
    seq: row.seq,
    record: toRecord(row),
    node: row.node,
    ...(row.switch !== null ? { switch: row.switch } : {}),
  };
}

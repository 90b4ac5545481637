/**
 * Departments receive their lines' finished call records in real time (topic `dept:<id>` of the
 * durable outbox, one item per call: `<callSid>:<departmentId>`). The record writer passes these
 * items to RecordsDb.insertCalls with the record, so a stored record always has its feed item.
 * Only departments with a webhook get items. The caller number is masked unless the registry
 * says the department receives it in full.
 */
import type { CallRecord } from '../../core/call/index.js';
import type { Registry } from '../../config/schema.js';
import { maskNumber } from '../../lib/mask.js';
import type { OutboxItem } from '../records/records-db.js';

export const departmentTopic = (departmentId: string): string => `dept:${departmentId}`;

/** The topic's department, or undefined for another topic. */
export function departmentOfTopic(topic: string): string | undefined {
  return topic.startsWith('dept:') ? topic.slice('dept:'.length) : undefined;
}

export interface DepartmentFeed {
  readonly department: string;
  readonly callerNumbers: 'masked' | 'full';
}

/** line number → the feed of the department that owns it (departments with a webhook only). */
export type DepartmentFeeds = ReadonlyMap<string, DepartmentFeed>;

export function departmentFeeds(registry: Registry): DepartmentFeeds {
  const feeds = new Map<string, DepartmentFeed>();
  const departments = registry.departments ?? {};
  for (const line of registry.lines) {
    if (line.department === undefined) continue;
    const webhook = departments[line.department]?.webhook;
    if (webhook === undefined) continue;
    feeds.set(line.number, { department: line.department, callerNumbers: webhook.callerNumbers });
  }
  return feeds;
}

/** What a department receives (and replays): the record, its caller number as it may see it. */
export interface DepartmentRecordBody {
  readonly type: 'call-record';
  readonly department: string;
  readonly record: CallRecord;
}

/** The feed items of one finished call: none, or one for the department owning its line. */
export function departmentFeedItems(record: CallRecord, feeds: DepartmentFeeds): OutboxItem[] {
  const feed = record.line === undefined ? undefined : feeds.get(record.line);
  if (feed === undefined) return [];
  const shown = feed.callerNumbers === 'full' || record.caller === undefined ? record : { ...record, caller: maskNumber(record.caller) };
  const body: DepartmentRecordBody = { type: 'call-record', department: feed.department, record: shown };
  return [{ id: `${record.callSid}:${feed.department}`, topic: departmentTopic(feed.department), body: JSON.stringify(body), createdAt: record.endedAt }];
}

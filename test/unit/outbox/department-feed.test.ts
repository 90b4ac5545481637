import { describe, expect, it } from 'vitest';
import { departmentFeedItems, departmentFeeds, departmentOfTopic, type DepartmentRecordBody } from '../../../src/app/outbox/index.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import type { Registry } from '../../../src/config/schema.js';
import { cityRegistry } from '../../support/registry-builder.js';

const webhook = (callerNumbers: 'masked' | 'full') => ({ url: 'https://d.example/h', secretEnv: 'S', callerNumbers, timeoutSeconds: 10 });

function registry(): Registry {
  const r = cityRegistry();
  const lines = r.lines.map((l) => (l.number === '12328' ? { ...l, department: 'transport' } : l.number === '12366' ? { ...l, department: 'taxation' } : l.number === '12319' ? { ...l, department: 'construction' } : l));
  return {
    ...r, lines,
    departments: { transport: { name: '交通运输局', webhook: webhook('masked') }, taxation: { name: '税务局', webhook: webhook('full') }, construction: { name: '住建局' } },
  };
}

/** caller null: withheld */
function record(line: string | undefined, caller: string | null = '13812345678'): CallRecord {
  return {
    callSid: 'c-1', fsUuid: 'u-1', line, mode: 'dual', queue: 'traffic', hops: [], arrivedAt: 1000, queuedAt: 2000, answeredAt: 5000,
    agentId: '1001', agentsTried: ['1001'], endedAt: 65_000, outcome: 'answered', waitSeconds: 3, waitFromArrivalSeconds: 4,
    survey: 'satisfied', hangupCause: 'NORMAL_CLEARING', ...(caller === null ? {} : { caller }), dialed: line,
  };
}

const body = (s: string) => JSON.parse(s) as DepartmentRecordBody;

describe('department feed items', () => {
  const feeds = departmentFeeds(registry());

  it('one item per call for the department owning its line: topic dept:<id>, id <callSid>:<id>, the record with a masked number', () => {
    const items = departmentFeedItems(record('12328'), feeds);
    expect(items.map((i) => [i.id, i.topic, i.createdAt])).toEqual([['c-1:transport', 'dept:transport', 65_000]]);
    const b = body(items[0]?.body ?? '{}');
    expect(b).toMatchObject({ type: 'call-record', department: 'transport' });
    expect(b.record.caller).toBe('138****5678');
    expect(b.record).toEqual({ ...record('12328'), caller: '138****5678' });
  });

  it('the full number only for a department the registry gives it to', () => {
    expect(body(departmentFeedItems(record('12366'), feeds)[0]?.body ?? '{}').record.caller).toBe('13812345678');
  });

  it('nothing for the 12345 number itself, an unknown line, or a department without a webhook', () => {
    expect(departmentFeedItems(record('12345'), feeds)).toEqual([]);
    expect(departmentFeedItems(record(undefined), feeds)).toEqual([]);
    expect(departmentFeedItems(record('12319'), feeds)).toEqual([]);
  });

  it('a withheld number stays absent', () => {
    expect(body(departmentFeedItems(record('12328', null), feeds)[0]?.body ?? '{}').record).not.toHaveProperty('caller');
  });

  it('reads the department back from a topic', () => {
    expect(departmentOfTopic('dept:transport')).toBe('transport');
    expect(departmentOfTopic('work-orders')).toBeUndefined();
  });
});

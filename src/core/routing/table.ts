/**
 * The registry, indexed once for routing: lines by number, queues with compiled schedules.
 * Assumes a validated registry but fails loudly on what would otherwise misroute silently
 * (dangling ids, duplicate numbers, unknown time zones), so a bad table never goes live.
 */
import type { Registry } from '../../config/schema.js';
import { compileSchedule, parseIsoDate, zoneOf, type CompiledSchedule, type Zone } from '../schedule/index.js';
import { canonicalAreaCode } from './normalize.js';
import type { LineRef } from './types.js';

export interface QueueEntry {
  readonly id: string;
  readonly name: string;
  readonly maxLength: number;
  readonly overflow: string | undefined;
  readonly scheduleId: string;
  readonly schedule: CompiledSchedule;
}

export interface QueueLineEntry {
  readonly kind: 'queue';
  readonly ref: LineRef;
  readonly priority: number;
  readonly queue: string;
  readonly transition?: { readonly prompt: string; readonly until: string; readonly untilDay: number };
}

export interface SubcenterLineEntry {
  readonly kind: 'subcenter';
  readonly ref: LineRef;
  readonly priority: number;
  readonly dial: string;
  readonly noAnswerSeconds: number;
  readonly overflowQueue: string;
  readonly scheduleId: string;
  readonly schedule: CompiledSchedule;
}

export type LineEntry = QueueLineEntry | SubcenterLineEntry;

export interface RoutingTable {
  readonly hotlineNumber: string;
  /** hotline.timeZone: the merged lines' transition dates are local dates there. */
  readonly zone: Zone;
  readonly poolQueue: string;
  readonly welcomePrompt: string | undefined;
  readonly areaCode: string | undefined;
  readonly lines: ReadonlyMap<string, LineEntry>;
  readonly queues: ReadonlyMap<string, QueueEntry>;
}

export interface RoutingOptions {
  /** Telephone area code of the region, e.g. "571"; default: the registry's hotline.areaCode. */
  readonly areaCode?: string;
}

export function buildRoutingTable(registry: Registry, options: RoutingOptions = {}): RoutingTable {
  const { hotline, calendars } = registry;
  const schedules = new Map<string, CompiledSchedule>();
  const scheduleOf = (id: string, user: string): CompiledSchedule => {
    let s = schedules.get(id);
    if (s === undefined) {
      const def = registry.schedules[id];
      if (def === undefined) throw new Error(`${user}: unknown schedule "${id}"`);
      s = compileSchedule(def, calendars, hotline.timeZone, id);
      schedules.set(id, s);
    }
    return s;
  };

  const queues = new Map<string, QueueEntry>();
  for (const [id, q] of Object.entries(registry.queues)) {
    queues.set(id, { id, name: q.name, maxLength: q.maxLength, overflow: q.overflow, scheduleId: q.schedule, schedule: scheduleOf(q.schedule, `queue ${id}`) });
  }
  const needQueue = (id: string, user: string): string => {
    if (!queues.has(id)) throw new Error(`${user}: unknown queue "${id}"`);
    return id;
  };
  for (const q of queues.values()) if (q.overflow !== undefined) needQueue(q.overflow, `queue ${q.id} overflow`);

  const lines = new Map<string, LineEntry>();
  const add = (entry: LineEntry): void => {
    if (lines.has(entry.ref.number)) throw new Error(`number ${entry.ref.number} is defined twice`);
    lines.set(entry.ref.number, entry);
  };
  add({
    kind: 'queue',
    ref: { number: hotline.number, name: `${hotline.region}政务服务便民热线`, mode: 'hotline' },
    priority: 0,
    queue: needQueue(hotline.queue, 'hotline.queue'),
  });
  for (const line of registry.lines) {
    const ref: LineRef = { number: line.number, name: line.name, mode: line.mode };
    const user = `line ${line.number}`;
    switch (line.mode) {
      case 'merged':
        add({
          kind: 'queue', ref, priority: line.priority, queue: needQueue(line.queue, user),
          transition: { prompt: line.transitionPrompt, until: line.transitionUntil, untilDay: parseIsoDate(line.transitionUntil) },
        });
        break;
      case 'dual':
        add({ kind: 'queue', ref, priority: line.priority, queue: needQueue(line.queue, user) });
        break;
      case 'subcenter': {
        const sc = line.subcenter;
        add({
          kind: 'subcenter', ref, priority: line.priority, dial: sc.dial, noAnswerSeconds: sc.noAnswerSeconds,
          overflowQueue: needQueue(sc.overflowQueue, user), scheduleId: sc.schedule, schedule: scheduleOf(sc.schedule, user),
        });
        break;
      }
    }
  }

  return {
    hotlineNumber: hotline.number,
    zone: zoneOf(hotline.timeZone),
    poolQueue: needQueue(hotline.poolQueue, 'hotline.poolQueue'),
    welcomePrompt: hotline.welcomePrompt,
    areaCode: canonicalAreaCode(options.areaCode ?? hotline.areaCode),
    lines,
    queues,
  };
}

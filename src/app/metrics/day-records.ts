/**
 * The records of the last few local days, kept so the daily report can be computed at 00:05
 * without a record store. Bounded by days, not by count: the oldest day is dropped when a new
 * one starts. A durable record store can replace it (anything with `byDay`).
 */
import type { CallRecord } from '../records/index.js';
import type { Zone } from '../../core/schedule/index.js';
import type { DayRecords } from './ports.js';

export class RecentDayRecords implements DayRecords {
  private readonly days = new Map<string, CallRecord[]>();

  constructor(private readonly zone: Zone, private readonly keepDays = 2) {}

  add(record: CallRecord): void {
    const day = this.zone.local(record.arrivedAt).date;
    let list = this.days.get(day);
    if (list === undefined) {
      list = [];
      this.days.set(day, list);
      // ISO dates sort as strings: drop the oldest beyond the window.
      const keys = [...this.days.keys()].sort();
      for (const k of keys.slice(0, Math.max(0, keys.length - this.keepDays))) this.days.delete(k);
    }
    list.push(record);
  }

  byDay(date: string): readonly CallRecord[] {
    return this.days.get(date) ?? [];
  }
}

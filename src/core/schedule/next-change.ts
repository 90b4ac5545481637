/**
 * When does a schedule next open or close? Used for explanations ("opens 2026-02-24 08:30"),
 * so it scans local days forward instead of keeping an index; a schedule changes state at
 * most a few times a day, and a closed stretch (a holiday) is rarely longer than ten days.
 */
import type { Calendar, Schedule } from '../../config/schema.js';
import { MINUTES_PER_DAY, MS_PER_DAY, MS_PER_MINUTE, formatDay, formatMinute } from './dates.js';
import type { CompiledSchedule } from './compile.js';
import { compiled, dayPlan, isOpenIn } from './is-open.js';

export interface Change {
  /** The instant of the change (epoch ms). */
  readonly at: number;
  /** The state from that instant on. */
  readonly open: boolean;
  /** Local wall-clock time of the change: "2026-02-24 08:30". */
  readonly local: string;
}

/** Undefined when the schedule never changes within `horizonDays` (alwaysOpen, never open). */
export function nextChangeIn(s: CompiledSchedule, at: number, horizonDays = 400): Change | undefined {
  if (s.alwaysOpen) return undefined;
  const l = s.zone.localMs(at);
  const day0 = Math.floor(l / MS_PER_DAY);
  const minute0 = Math.floor((l - day0 * MS_PER_DAY) / MS_PER_MINUTE);
  const openNow = isOpenIn(dayPlan(s, day0).intervals, minute0);
  for (let day = day0; day <= day0 + horizonDays; day++) {
    const { intervals } = dayPlan(s, day);
    const points = [0];
    for (const [o, c] of intervals) points.push(o, c);
    for (const p of points) {
      if ((day === day0 && p <= minute0) || p >= MINUTES_PER_DAY) continue;
      if (isOpenIn(intervals, p) !== openNow) {
        return {
          at: s.zone.instantOf(day * MS_PER_DAY + p * MS_PER_MINUTE),
          open: !openNow,
          local: `${formatDay(day)} ${formatMinute(p)}`,
        };
      }
    }
  }
  return undefined;
}

export function nextChange(
  schedule: Schedule,
  calendars: Readonly<Record<string, Calendar>>,
  defaultTz: string,
  at: number,
): Change | undefined {
  return nextChangeIn(compiled(schedule, calendars, defaultTz), at);
}

/**
 * "Is this schedule open at instant t, and why?" Precedence, first match wins:
 * alwaysOpen → holiday of its calendar → closedDates → adjusted working day (调休, the weekly
 * hours of its `as` weekday) → the weekly hours of that weekday. Open inclusive, close exclusive.
 */
import type { Calendar, Schedule } from '../../config/schema.js';
import { MS_PER_DAY, MS_PER_MINUTE, WEEKDAY_NAMES, formatDay, weekdayOfDay } from './dates.js';
import { FULL_DAY, compileSchedule, type CompiledSchedule, type Interval } from './compile.js';

export interface OpenState {
  readonly open: boolean;
  /** Why, without the verdict: "always open", "春节 holiday", "mon 08:30–12:00, 13:30–17:30". */
  readonly why: string;
}

export interface DayPlan {
  readonly intervals: readonly Interval[];
  readonly why: string;
}

/** The opening intervals that apply on one local day, and the rule that chose them. */
export function dayPlan(s: CompiledSchedule, dayNumber: number): DayPlan {
  if (s.alwaysOpen) return { intervals: FULL_DAY, why: 'always open' };
  const holiday = s.holidays.get(dayNumber);
  if (holiday !== undefined) return { intervals: [], why: `${holiday} holiday` };
  if (s.closedDates.has(dayNumber)) return { intervals: [], why: `closed date ${formatDay(dayNumber)}` };
  const work = s.workdays.get(dayNumber);
  if (work !== undefined) {
    return {
      intervals: s.weekly[work.as] ?? [],
      why: `adjusted working day ${work.name}, hours of ${s.weeklyText[work.as] ?? WEEKDAY_NAMES[work.as]}`,
    };
  }
  const wd = weekdayOfDay(dayNumber);
  return { intervals: s.weekly[wd] ?? [], why: s.weeklyText[wd] ?? '' };
}

export function isOpenIn(intervals: readonly Interval[], minute: number): boolean {
  for (const [o, c] of intervals) {
    if (minute < o) return false;
    if (minute < c) return true;
  }
  return false;
}

export function openAt(s: CompiledSchedule, at: number): OpenState {
  if (s.alwaysOpen) return { open: true, why: 'always open' };
  const l = s.zone.localMs(at);
  const dayNumber = Math.floor(l / MS_PER_DAY);
  const plan = dayPlan(s, dayNumber);
  const minute = Math.floor((l - dayNumber * MS_PER_DAY) / MS_PER_MINUTE);
  return { open: isOpenIn(plan.intervals, minute), why: plan.why };
}

interface CacheEntry {
  readonly calendars: Readonly<Record<string, Calendar>>;
  readonly defaultTz: string;
  readonly compiled: CompiledSchedule;
}
const compiledCache = new WeakMap<Schedule, CacheEntry>();

/** Convenience form for callers without a routing table; compiles once per schedule object. */
export function compiled(schedule: Schedule, calendars: Readonly<Record<string, Calendar>>, defaultTz: string): CompiledSchedule {
  const hit = compiledCache.get(schedule);
  if (hit !== undefined && hit.calendars === calendars && hit.defaultTz === defaultTz) return hit.compiled;
  const c = compileSchedule(schedule, calendars, defaultTz);
  compiledCache.set(schedule, { calendars, defaultTz, compiled: c });
  return c;
}

export function isOpen(
  schedule: Schedule,
  calendars: Readonly<Record<string, Calendar>>,
  defaultTz: string,
  at: number,
): OpenState {
  return openAt(compiled(schedule, calendars, defaultTz), at);
}

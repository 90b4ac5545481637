/**
 * A schedule with its calendar resolved into integer lookups, built once per registry so that
 * asking "open at t?" costs one offset lookup and a few comparisons.
 */
import type { Calendar, Schedule } from '../../config/schema.js';
import { MINUTES_PER_DAY, WEEKDAY_NAMES, formatMinute, parseHhMm, parseIsoDate, weekdayIndex } from './dates.js';
import { zoneOf, type Zone } from './local-time.js';

/** [open, close) in minutes of the local day; close may be 1440 (24:00). */
export type Interval = readonly [number, number];

export interface CompiledSchedule {
  readonly label: string;
  readonly alwaysOpen: boolean;
  readonly zone: Zone;
  /** Index 0 = mon: merged, sorted, non-overlapping intervals. */
  readonly weekly: readonly (readonly Interval[])[];
  /** Index 0 = mon: "mon 08:30–12:00, 13:30–17:30", made once for explanations. */
  readonly weeklyText: readonly string[];
  readonly holidays: ReadonlyMap<number, string>;
  readonly workdays: ReadonlyMap<number, { readonly name: string; readonly as: number }>;
  readonly closedDates: ReadonlySet<number>;
}

export function compileSchedule(
  schedule: Schedule,
  calendars: Readonly<Record<string, Calendar>>,
  defaultTz: string,
  id?: string,
): CompiledSchedule {
  const label = id ?? schedule.name ?? 'schedule';
  const perDay: Interval[][] = WEEKDAY_NAMES.map(() => []);
  for (const h of schedule.weekly ?? []) {
    const open = parseHhMm(h.open);
    const close = parseHhMm(h.close);
    // Overnight hours are not part of the schema's meaning (close is exclusive on the same day):
    // an interval with close ≤ open opens nothing rather than guessing.
    if (close <= open) continue;
    for (const d of h.days) perDay[weekdayIndex(d)]?.push([open, close]);
  }

  const holidays = new Map<number, string>();
  const workdays = new Map<number, { name: string; as: number }>();
  if (schedule.calendar !== undefined) {
    const cal = calendars[schedule.calendar];
    if (cal === undefined) throw new Error(`schedule ${label}: unknown calendar "${schedule.calendar}"`);
    for (const h of cal.holidays) {
      const to = parseIsoDate(h.to);
      for (let d = parseIsoDate(h.from); d <= to; d++) holidays.set(d, h.name);
    }
    for (const w of cal.workdays) workdays.set(parseIsoDate(w.date), { name: w.name, as: weekdayIndex(w.as ?? 'mon') });
  }

  const weekly = perDay.map(mergeIntervals);
  return {
    label,
    alwaysOpen: schedule.alwaysOpen === true,
    zone: zoneOf(schedule.timeZone ?? defaultTz),
    weekly,
    weeklyText: weekly.map((list, i) => `${WEEKDAY_NAMES[i] ?? '?'} ${describeIntervals(list)}`),
    holidays,
    workdays,
    closedDates: new Set((schedule.closedDates ?? []).map(parseIsoDate)),
  };
}

function mergeIntervals(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [o, c] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && o <= last[1]) last[1] = Math.max(last[1], c);
    else out.push([o, c]);
  }
  return out;
}

export function describeIntervals(list: readonly Interval[]): string {
  if (list.length === 0) return 'closed all day';
  return list.map(([o, c]) => `${formatMinute(o)}–${formatMinute(c)}`).join(', ');
}

export const FULL_DAY: readonly Interval[] = [[0, MINUTES_PER_DAY]];

/**
 * Calendar arithmetic on "day numbers" (days since 1970-01-01 in a zone's local calendar).
 * The hot path compares integers, never date strings; strings are made only for explanations.
 */
import type { Weekday } from '../../config/schema.js';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
export const MINUTES_PER_DAY = 1440;

/** Monday = 0 … Sunday = 6, the order of the schema's WEEKDAYS. */
export const WEEKDAY_NAMES: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function weekdayIndex(day: Weekday): number {
  return WEEKDAY_NAMES.indexOf(day);
}

/** 1970-01-01 was a Thursday (index 3). */
export function weekdayOfDay(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' → day number. Throws on impossible dates (2026-02-30) instead of rolling over. */
export function parseIsoDate(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (m === null) throw new Error(`not a date (YYYY-MM-DD): "${iso}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const day = ms / MS_PER_DAY;
  const [yy, mm, dd] = civilFromDays(day);
  if (yy !== y || mm !== mo || dd !== d) throw new Error(`no such date: "${iso}"`);
  return day;
}

/** Day number → [year, month 1-12, day 1-31] (H. Hinnant's civil_from_days: no Date object needed). */
export function civilFromDays(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function formatDay(dayNumber: number): string {
  const [y, m, d] = civilFromDays(dayNumber);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** 'HH:MM' (00:00 … 24:00) → minute of day 0 … 1440. */
export function parseHhMm(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const h = Number(m?.[1]);
  const mi = Number(m?.[2]);
  const minute = h * 60 + mi;
  if (m === null || mi > 59 || minute > MINUTES_PER_DAY) throw new Error(`not a time of day (HH:MM, 00:00-24:00): "${hhmm}"`);
  return minute;
}

export function formatMinute(minute: number): string {
  return `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`;
}

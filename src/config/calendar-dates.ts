/**
 * Date and time-zone facts the registry checks need. Config-side only: the pure core has its
 * own date maths and must not depend on this.
 */
import type { Weekday } from './schema.js';

const DAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parts(date: string): [number, number, number] | undefined {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(date);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** True for a date that exists on the calendar: 2026-02-28 yes, 2026-02-30 no. */
export function isRealDate(date: string): boolean {
  const p = parts(date);
  if (p === undefined) return false;
  const [y, m, d] = p;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Weekday of a real date (see isRealDate). */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = parts(date) ?? [1970, 1, 1];
  return DAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] ?? 'mon';
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function knownTimeZones(): string[] {
  return Intl.supportedValuesOf('timeZone');
}

/**
 * Time: schedules that can actually open, real dates, sensible holiday ranges, adjusted workdays
 * (调休) on weekends, time zones that exist.
 */
import type { PathSegments } from './problem.js';
import type { Reporter } from './reporter.js';
import type { SemanticInput } from './semantic-input.js';
import { isKnownTimeZone, isRealDate, knownTimeZones, minutesOf, weekdayOf } from './calendar-dates.js';
import { closest } from './suggest.js';

const WEEKDAY_NAMES = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' } as const;

function checkDate(date: string, path: PathSegments, r: Reporter): boolean {
  if (isRealDate(date)) return true;
  r.report(path, `${date} is not a real date`);
  return false;
}

function checkTimeZone(zone: string | undefined, path: PathSegments, r: Reporter): void {
  if (zone === undefined || isKnownTimeZone(zone)) return;
  const near = closest(zone, knownTimeZones());
  r.report(path, `unknown time zone "${zone}"`, { hint: near !== undefined ? `did you mean "${near}"?` : 'use an IANA name such as "Asia/Shanghai"' });
}

export function checkSchedules(input: SemanticInput, r: Reporter): void {
  checkTimeZone(input.hotline.timeZone, ['hotline', 'timeZone'], r);
  for (const [id, schedule] of input.schedules) {
    const path = ['schedules', id];
    checkTimeZone(schedule.timeZone, [...path, 'timeZone'], r);
    const weekly = schedule.weekly ?? [];
    if (schedule.alwaysOpen !== true && weekly.length === 0) {
      r.report(path, `schedule "${id}" is never open: it has neither alwaysOpen: true nor weekly hours`, {
        hint: 'add alwaysOpen: true for 7×24, or weekly: [{ days: [mon, tue, wed, thu, fri], open: "08:30", close: "17:30" }]',
      });
    }
    if (schedule.alwaysOpen === true && weekly.length > 0) {
      r.report([...path, 'weekly'], 'weekly hours are ignored because alwaysOpen is true', { severity: 'warning' });
    }
    weekly.forEach((hours, k) => {
      if (minutesOf(hours.close) > minutesOf(hours.open)) return;
      r.report([...path, 'weekly', k, 'close'], `closes at ${hours.close}, which is not after it opens at ${hours.open}`, {
        hint: 'hours past midnight are two entries: until 24:00, and from 00:00 on the next days',
      });
    });
    (schedule.closedDates ?? []).forEach((date, k) => checkDate(date, [...path, 'closedDates', k], r));
  }
}

export function checkCalendars(input: SemanticInput, r: Reporter): void {
  for (const [id, calendar] of input.calendars) {
    calendar.holidays.forEach((holiday, k) => {
      const path = ['calendars', id, 'holidays', k];
      const fromOk = checkDate(holiday.from, [...path, 'from'], r);
      const toOk = checkDate(holiday.to, [...path, 'to'], r);
      if (fromOk && toOk && holiday.to < holiday.from) {
        r.report([...path, 'to'], `${holiday.name} ends (${holiday.to}) before it starts (${holiday.from})`);
      }
    });
    calendar.workdays.forEach((workday, k) => {
      const path = ['calendars', id, 'workdays', k, 'date'];
      if (!checkDate(workday.date, path, r)) return;
      const day = weekdayOf(workday.date);
      if (day === 'sat' || day === 'sun') return;
      r.report(path, `${workday.date} is a ${WEEKDAY_NAMES[day]}, not a weekend day`, {
        hint: 'an adjusted workday (调休) is a Saturday or Sunday worked as a weekday; check the date against the notice',
      });
    });
  }
}

export function checkTransitionDates(input: SemanticInput, r: Reporter): void {
  for (const { index, value: line } of input.lines) {
    if (line.mode === 'merged') checkDate(line.transitionUntil, ['lines', index, 'transitionUntil'], r);
  }
}

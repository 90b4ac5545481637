import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/config/schema.js';
import { isOpen, nextChange } from '../../../src/core/schedule/index.js';
import { cityRegistry, shanghai } from '../../support/registry-builder.js';

const reg = cityRegistry();
const TZ = reg.hotline.timeZone;
const sched = (id: string): Schedule => {
  const s = reg.schedules[id];
  if (s === undefined) throw new Error(id);
  return s;
};
const openAt = (id: string, at: number) => isOpen(sched(id), reg.calendars, TZ, at);

describe('isOpen: office-hours (mon–thu 08:30–12:00 13:30–17:30, fri until 16:30, cn-2026 calendar)', () => {
  it.each([
    ['2026-03-03 08:29', false, 'the minute before opening'],
    ['2026-03-03 08:30', true, 'opening minute (inclusive)'],
    ['2026-03-03 11:59', true, 'last minute before lunch'],
    ['2026-03-03 12:00', false, 'lunch break starts (close exclusive)'],
    ['2026-03-03 13:29', false, 'still lunch'],
    ['2026-03-03 13:30', true, 'afternoon opens'],
    ['2026-03-03 17:29', true, 'last open minute'],
    ['2026-03-03 17:30', false, 'closing minute (exclusive)'],
    ['2026-03-06 16:29', true, 'friday last minute'],
    ['2026-03-06 16:30', false, 'friday closes earlier'],
    ['2026-03-07 10:00', false, 'ordinary saturday'],
    ['2026-03-08 10:00', false, 'ordinary sunday'],
    ['2026-02-13 23:59', false, 'friday night before 春节'],
  ])('%s → open=%s (%s)', (local, open) => {
    expect(openAt('office-hours', shanghai(local)).open).toBe(open);
  });

  it.each([
    ['2026-02-14 08:30', true, '春节调休', 'Sat 02-14 is an adjusted working day'],
    ['2026-02-14 17:29', true, 'mon', 'it takes monday hours (default as), not friday ones'],
    ['2026-02-14 17:30', false, '春节调休', 'and closes at monday closing time'],
    ['2026-02-15 10:00', false, '春节 holiday', 'first day of 春节'],
    ['2026-02-16 10:00', false, '春节 holiday', 'Mon 02-16 is a holiday, not a working monday'],
    ['2026-02-23 10:00', false, '春节 holiday', 'last day of 春节'],
    ['2026-02-24 08:30', true, 'tue', 'first working day after 春节'],
    ['2026-02-28 09:00', true, '春节调休', 'Sat 02-28 worked'],
    ['2026-01-01 09:00', false, '元旦 holiday', '元旦'],
    ['2026-01-04 09:00', true, '元旦调休', 'Sun 01-04 worked'],
    ['2026-04-06 09:00', false, '清明节 holiday', '清明 monday'],
    ['2026-05-05 09:00', false, '劳动节 holiday', 'last day of 劳动节 (a tuesday)'],
    ['2026-05-09 09:00', true, '劳动节调休', 'Sat 05-09 worked'],
    ['2026-06-19 09:00', false, '端午节 holiday', '端午 friday'],
    ['2026-09-20 09:00', true, '国庆调休', 'Sun 09-20 worked'],
    ['2026-09-25 09:00', false, '中秋节 holiday', '中秋 friday'],
    ['2026-10-07 09:00', false, '国庆节 holiday', 'last day of 国庆'],
    ['2026-10-10 16:29', true, 'fri', 'Sat 10-10 worked as a friday'],
    ['2026-10-10 16:30', false, '国庆调休', 'friday hours end at 16:30'],
  ])('%s → open=%s, why mentions %s (%s)', (local, open, why) => {
    const r = openAt('office-hours', shanghai(local));
    expect(r.open).toBe(open);
    expect(r.why).toContain(why);
  });

  it('a schedule without a calendar ignores holidays', () => {
    expect(openAt('daytime', shanghai('2026-02-16 10:00'))).toEqual({ open: true, why: 'mon 08:00–20:00' });
  });

  it('closedDates close only that schedule, with the date in why', () => {
    expect(openAt('tax-hours', shanghai('2026-03-02 10:00'))).toEqual({ open: false, why: 'closed date 2026-03-02' });
    expect(openAt('tax-hours', shanghai('2026-03-03 10:00')).open).toBe(true);
    expect(openAt('office-hours', shanghai('2026-03-02 10:00')).open).toBe(true);
  });

  it('alwaysOpen is open on holidays, at midnight and at the end of the day', () => {
    for (const local of ['2026-02-16 00:00', '2026-10-01 23:59', '2026-01-01 12:00']) {
      expect(openAt('24x7', shanghai(local))).toEqual({ open: true, why: 'always open' });
    }
  });
});

describe('isOpen: edge definitions', () => {
  const cals = reg.calendars;
  const check = (s: Schedule, local: string) => isOpen(s, cals, TZ, shanghai(local)).open;

  it('24:00 means end of day; the next day follows its own hours', () => {
    const s: Schedule = { weekly: [{ days: ['tue'], open: '20:00', close: '24:00' }] };
    expect(check(s, '2026-03-03 23:59')).toBe(true);
    expect(check(s, '2026-03-04 00:00')).toBe(false);
    expect(check(s, '2026-03-03 19:59')).toBe(false);
  });

  it('overlapping intervals on one day are merged', () => {
    const s: Schedule = { weekly: [{ days: ['tue'], open: '08:00', close: '12:00' }, { days: ['tue'], open: '11:00', close: '14:00' }] };
    expect(check(s, '2026-03-03 13:59')).toBe(true);
    expect(check(s, '2026-03-03 14:00')).toBe(false);
  });

  it('hours with close ≤ open open nothing (overnight is not a schedule meaning)', () => {
    const s: Schedule = { weekly: [{ days: ['tue', 'wed'], open: '22:00', close: '06:00' }] };
    expect(check(s, '2026-03-03 23:00')).toBe(false);
    expect(check(s, '2026-03-04 05:00')).toBe(false);
  });

  it('a date that is both holiday and adjusted working day is a holiday', () => {
    const calendars = { c: { holidays: [{ name: 'X', from: '2026-03-07', to: '2026-03-07' }], workdays: [{ name: 'W', date: '2026-03-07' }] } };
    const s: Schedule = { calendar: 'c', weekly: [{ days: ['mon'], open: '00:00', close: '24:00' }] };
    expect(isOpen(s, calendars, TZ, shanghai('2026-03-07 10:00'))).toEqual({ open: false, why: 'X holiday' });
  });

  it('the compiled form follows a change of calendars object', () => {
    const s: Schedule = { calendar: 'c', weekly: [{ days: ['mon'], open: '09:00', close: '17:00' }] };
    const none = { c: { holidays: [], workdays: [] } };
    const holiday = { c: { holidays: [{ name: 'H', from: '2026-03-02', to: '2026-03-02' }], workdays: [] } };
    expect(isOpen(s, none, TZ, shanghai('2026-03-02 10:00')).open).toBe(true);
    expect(isOpen(s, holiday, TZ, shanghai('2026-03-02 10:00')).open).toBe(false);
  });

  it('an unknown calendar is an error, not an always-working schedule', () => {
    expect(() => isOpen({ calendar: 'nope' }, {}, TZ, 0)).toThrow(/unknown calendar "nope"/);
  });
});

describe('isOpen: a Europe/Berlin schedule (09:00–17:00 daily) across DST', () => {
  // Shuffled on purpose: the per-hour offset cache must not leak a winter offset into summer.
  it.each([
    ['2026-03-30T06:59:00Z', false, 'Mon after spring forward: 08:59 CEST'],
    ['2026-03-27T08:00:00Z', true, 'Fri before: 09:00 CET'],
    ['2026-03-30T07:00:00Z', true, 'Mon after: 09:00 CEST'],
    ['2026-03-27T07:59:00Z', false, 'Fri before: 08:59 CET'],
    ['2026-03-29T07:00:00Z', true, 'the change day itself: 09:00 CEST'],
    ['2026-03-29T15:00:00Z', false, 'change day 17:00 CEST'],
    ['2026-03-29T14:59:00Z', true, 'change day 16:59 CEST'],
    ['2026-10-26T07:59:00Z', false, 'Mon after fall back: 08:59 CET'],
    ['2026-10-26T08:00:00Z', true, 'Mon after fall back: 09:00 CET'],
    ['2026-10-23T07:00:00Z', true, 'Fri before: 09:00 CEST'],
    ['2026-10-23T06:59:00Z', false, 'Fri before: 08:59 CEST'],
    ['2026-10-26T15:59:00Z', true, '16:59 CET'],
    ['2026-10-26T16:00:00Z', false, '17:00 CET'],
  ])('%s → open=%s (%s)', (iso, open) => {
    expect(openAt('berlin-office', Date.parse(iso)).open).toBe(open);
  });
});

describe('nextChange', () => {
  const next = (id: string, at: number) => nextChange(sched(id), reg.calendars, TZ, at);

  it.each([
    ['2026-02-16 10:00', true, '2026-02-24 08:30', 'closed for 春节 → opens on the first working day'],
    ['2026-02-13 17:00', true, '2026-02-14 08:30', 'friday evening → the adjusted working saturday'],
    ['2026-03-03 12:00', true, '2026-03-03 13:30', 'lunch → afternoon'],
    ['2026-03-03 09:00', false, '2026-03-03 12:00', 'open → lunch'],
    ['2026-02-14 17:00', false, '2026-02-14 17:30', 'adjusted working day closes at monday time'],
    ['2026-09-30 17:30', true, '2026-10-08 08:30', 'across 国庆'],
  ])('office-hours at %s → open=%s at %s (%s)', (local, open, when) => {
    const c = next('office-hours', shanghai(local));
    expect(c).toEqual({ open, local: when, at: shanghai(when) });
  });

  it('alwaysOpen never changes', () => {
    expect(next('24x7', shanghai('2026-02-16 10:00'))).toBeUndefined();
  });

  it('a schedule that never opens has no next change', () => {
    expect(nextChange({ weekly: [] }, {}, TZ, 0)).toBeUndefined();
  });

  it('Berlin: the instant of the next opening is right across the spring change', () => {
    // Sat 2026-03-28 18:00 CET (closed) → opens Sun 09:00 CEST = 07:00Z, not 08:00Z.
    expect(next('berlin-office', Date.parse('2026-03-28T17:00:00Z'))).toEqual({
      open: true, local: '2026-03-29 09:00', at: Date.parse('2026-03-29T07:00:00Z'),
    });
  });
});

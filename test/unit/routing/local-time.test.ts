import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Zone, localTime, zoneOf } from '../../../src/core/schedule/index.js';
import { civilFromDays, formatDay, parseHhMm, parseIsoDate, weekdayOfDay } from '../../../src/core/schedule/dates.js';

/** Reference: a fresh formatter per call, no caching, no arithmetic of ours. */
function reference(at: number, tz: string): { date: string; minuteOfDay: number; weekday: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', weekday: 'short',
  }).formatToParts(at);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    minuteOfDay: Number(get('hour')) * 60 + Number(get('minute')),
    weekday: get('weekday').toLowerCase(),
  };
}

const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'UTC'];

describe('localTime', () => {
  it.each([
    ['Asia/Shanghai', '2026-02-14T00:30:00Z', '2026-02-14', 'sat', 8 * 60 + 30],
    ['Asia/Shanghai', '2026-02-14T16:00:00Z', '2026-02-15', 'sun', 0],
    ['Asia/Shanghai', '2026-02-14T15:59:59.999Z', '2026-02-14', 'sat', 23 * 60 + 59],
    // Berlin spring forward 2026-03-29 01:00Z: 01:59 CET is followed by 03:00 CEST.
    ['Europe/Berlin', '2026-03-29T00:59:00Z', '2026-03-29', 'sun', 1 * 60 + 59],
    ['Europe/Berlin', '2026-03-29T01:00:00Z', '2026-03-29', 'sun', 3 * 60],
    // Berlin fall back 2026-10-25 01:00Z: 02:59 CEST is followed by 02:00 CET.
    ['Europe/Berlin', '2026-10-25T00:59:00Z', '2026-10-25', 'sun', 2 * 60 + 59],
    ['Europe/Berlin', '2026-10-25T01:00:00Z', '2026-10-25', 'sun', 2 * 60],
    ['Asia/Kathmandu', '2026-06-01T18:15:00Z', '2026-06-02', 'tue', 0],
  ])('%s at %s → %s %s minute %i', (tz, iso, date, weekday, minute) => {
    const t = localTime(Date.parse(iso), tz);
    expect(t).toMatchObject({ date, weekday, minuteOfDay: minute });
    expect(formatDay(t.dayNumber)).toBe(date);
  });

  it('agrees with Intl minute by minute across both 2026 Berlin DST changes (cache warm from both sides)', () => {
    const zone = new Zone('Europe/Berlin');
    for (const start of [Date.UTC(2026, 2, 28, 22), Date.UTC(2026, 9, 24, 22)]) {
      const minutes = Array.from({ length: 6 * 60 }, (_, i) => start + i * 60_000);
      // Backwards first, so the hour buckets are filled from the far side of the change.
      for (const at of [...minutes].reverse().concat(minutes)) {
        const got = zone.local(at);
        const want = reference(at, 'Europe/Berlin');
        expect({ date: got.date, minute: got.minuteOfDay }, new Date(at).toISOString()).toEqual({ date: want.date, minute: want.minuteOfDay });
      }
    }
  });

  it('agrees with Intl for random instants 1995–2040 in zones with odd offsets and DST', () => {
    fc.assert(fc.property(
      fc.constantFrom(...ZONES),
      fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2040, 0, 1) }),
      (tz, at) => {
        const got = zoneOf(tz).local(at);
        const want = reference(at, tz);
        return got.date === want.date && got.minuteOfDay === want.minuteOfDay && got.weekday === want.weekday;
      },
    ), { numRuns: 3000 });
  });

  it.each([
    // St John's springs forward at 02:00 NST (−3:30) = 05:30Z: the change is in the middle of a UTC hour.
    ['America/St_Johns', '2026-03-08T05:29:00Z', 1 * 60 + 59],
    ['America/St_Johns', '2026-03-08T05:30:00Z', 3 * 60],
    ['America/St_Johns', '2026-03-08T05:59:00Z', 3 * 60 + 29],
    // Lord Howe moves by 30 minutes: 02:00 LHDT (+11) → 01:30 LHST (+10:30) at 15:00Z.
    ['Australia/Lord_Howe', '2026-04-04T14:59:00Z', 1 * 60 + 59],
    ['Australia/Lord_Howe', '2026-04-04T15:00:00Z', 1 * 60 + 30],
  ])('%s at %s: minute %i (offset changes that do not fit whole hours)', (tz, iso, minute) => {
    const z = new Zone(tz);
    // Warm the hour bucket with the other half of the hour first.
    z.local(Date.parse(iso) + (iso.endsWith('29:00Z') ? 60_000 : -60_000));
    expect(z.local(Date.parse(iso)).minuteOfDay).toBe(minute);
  });

  it('instantOf maps local wall-clock time back to the instant, and picks the earlier one in an overlap', () => {
    const z = new Zone('Europe/Berlin');
    const local = (y: number, mo: number, d: number, h: number, mi: number): number => Date.UTC(y, mo - 1, d, h, mi);
    expect(z.instantOf(local(2026, 3, 29, 9, 0))).toBe(Date.parse('2026-03-29T07:00:00Z'));
    expect(z.instantOf(local(2026, 3, 28, 9, 0))).toBe(Date.parse('2026-03-28T08:00:00Z'));
    expect(z.instantOf(local(2026, 10, 25, 2, 30))).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(z.instantOf(local(2026, 10, 25, 3, 30))).toBe(Date.parse('2026-10-25T02:30:00Z'));
  });

  it('an unknown zone fails when the zone is created, not later', () => {
    expect(() => new Zone('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('date arithmetic', () => {
  it('round-trips every day 1990–2060 and names its weekday like Date does', () => {
    for (let day = parseIsoDate('1990-01-01'); day <= parseIsoDate('2060-12-31'); day += 1) {
      const iso = formatDay(day);
      expect(parseIsoDate(iso)).toBe(day);
      expect(weekdayOfDay(day)).toBe((new Date(day * 86_400_000).getUTCDay() + 6) % 7);
    }
    expect(civilFromDays(0)).toEqual([1970, 1, 1]);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-04-31', '2026-4-1', '20260401'])('rejects impossible date %s', (iso) => {
    expect(() => parseIsoDate(iso)).toThrow();
  });

  it.each([['00:00', 0], ['08:30', 510], ['23:59', 1439], ['24:00', 1440]])('parses %s', (s, m) => {
    expect(parseHhMm(s)).toBe(m);
  });
  it.each(['24:01', '8:30', '12:60', 'noon'])('rejects %s', (s) => {
    expect(() => parseHhMm(s)).toThrow();
  });
});

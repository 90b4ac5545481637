/**
 * Epoch ms → local wall-clock time in an IANA zone, fast enough for the routing hot path.
 *
 * Intl.DateTimeFormat#formatToParts costs microseconds, so it is used only to learn a zone's UTC
 * offset, cached per UTC hour. A bucket is cached only when the offset is the same at its first
 * and its last millisecond; the hour that contains a DST change (or any other offset change,
 * whatever minute it falls on) is marked "mixed" and computed exactly on every call. Everything
 * else is integer arithmetic.
 */
import type { Weekday } from '../../config/schema.js';
import { MS_PER_DAY, MS_PER_MINUTE, WEEKDAY_NAMES, formatDay, weekdayOfDay } from './dates.js';

const MS_PER_HOUR = 3_600_000;
/** Bounds memory when a long-running process sees many distinct hours (≈ 5.7 years per zone). */
const MAX_CACHED_HOURS = 50_000;
const MIXED = Number.NaN;

export interface LocalTime {
  /** Days since 1970-01-01 in the zone's local calendar. */
  readonly dayNumber: number;
  /** YYYY-MM-DD */
  readonly date: string;
  readonly weekday: Weekday;
  /** 0 … 1439 */
  readonly minuteOfDay: number;
}

export class Zone {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  /** Throws RangeError for an unknown zone: surface that when a table is built, not per call. */
  constructor(readonly id: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: id, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }

  /** Local time minus UTC, in ms, at instant `at`. */
  offsetMs(at: number): number {
    const bucket = Math.floor(at / MS_PER_HOUR);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      const start = bucket * MS_PER_HOUR;
      const a = this.exactOffsetMs(start);
      const b = this.exactOffsetMs(start + MS_PER_HOUR - 1);
      off = a === b ? a : MIXED;
      if (this.offsets.size >= MAX_CACHED_HOURS) this.offsets.clear();
      this.offsets.set(bucket, off);
    }
    return Number.isNaN(off) ? this.exactOffsetMs(at) : off;
  }

  /** Local wall-clock ms since 1970-01-01T00:00 local. */
  localMs(at: number): number {
    return at + this.offsetMs(at);
  }

  /**
   * Local wall-clock ms → an instant. In a DST gap (a local time that never happens) this gives
   * the instant the offset before the gap would give; in an overlap, the earlier of the two.
   */
  instantOf(localMs: number): number {
    const before = localMs - this.offsetMs(localMs - MS_PER_DAY);
    const after = localMs - this.offsetMs(localMs + MS_PER_DAY);
    if (before === after) return before;
    // The offset changes within a day of here: pick the candidate that maps back exactly.
    if (this.localMs(after) === localMs && this.localMs(before) !== localMs) return after;
    return before;
  }

  local(at: number): LocalTime {
    const l = this.localMs(at);
    const dayNumber = Math.floor(l / MS_PER_DAY);
    return {
      dayNumber,
      date: formatDay(dayNumber),
      weekday: WEEKDAY_NAMES[weekdayOfDay(dayNumber)] ?? 'mon',
      minuteOfDay: Math.floor((l - dayNumber * MS_PER_DAY) / MS_PER_MINUTE),
    };
  }

  private exactOffsetMs(at: number): number {
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    for (const p of this.fmt.formatToParts(at)) {
      switch (p.type) {
        case 'year': y = Number(p.value); break;
        case 'month': mo = Number(p.value); break;
        case 'day': d = Number(p.value); break;
        case 'hour': h = Number(p.value); break;
        case 'minute': mi = Number(p.value); break;
        case 'second': s = Number(p.value); break;
        default: break;
      }
    }
    const wholeSecond = at - (((at % 1000) + 1000) % 1000);
    return Date.UTC(y, mo - 1, d, h, mi, s) - wholeSecond;
  }
}

const zones = new Map<string, Zone>();

/** One Zone (one formatter, one offset cache) per time-zone id for the whole process. */
export function zoneOf(timeZone: string): Zone {
  let z = zones.get(timeZone);
  if (z === undefined) {
    z = new Zone(timeZone);
    zones.set(timeZone, z);
  }
  return z;
}

export function localTime(at: number, timeZone: string): LocalTime {
  return zoneOf(timeZone).local(at);
}

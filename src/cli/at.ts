import { zoneOf } from '../core/schedule/index.js';
import { UsageError } from './command.js';

const WITH_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * `--at`: an ISO-8601 instant. Without an offset it is a wall-clock time in the hotline's own
 * time zone — what an engineer means by "2026-02-14T08:30" — not the machine's.
 */
export function parseAt(value: string | undefined, timeZone: string, now: number): number {
  if (value === undefined) return now;
  if (WITH_OFFSET.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new UsageError(`--at ${value}: not an ISO-8601 date-time`);
    return at;
  }
  const m = LOCAL.exec(value);
  if (!m) throw new UsageError(`--at ${value}: expected YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]`);
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  const localMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(localMs);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23) {
    throw new UsageError(`--at ${value}: no such date or time`);
  }
  return zoneOf(timeZone).instantOf(localMs);
}

/** An instant as local ISO-8601 with offset in the given zone, e.g. 2026-02-14T08:30:00+08:00. */
export function formatLocal(at: number, timeZone: string): string {
  const zone = zoneOf(timeZone);
  const offsetMin = Math.round(zone.offsetMs(at) / 60_000);
  const local = new Date(at + offsetMin * 60_000).toISOString().slice(0, 19);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

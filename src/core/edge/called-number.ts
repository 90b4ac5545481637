/**
 * Which number the caller dialed, from where the trunk's carrier puts it. The trunk lists the
 * places in order (`calledNumberFrom`); the first number that is a line of this hotline, or an
 * emergency number, wins — so a carrier that forwards 12328 to the 12345 DID and keeps 12328 in
 * Diversion still delivers a 12328 call. When none is, the first number found is the answer
 * (routing then refuses it as unknown, or as no number at all); when no place holds one, there
 * is no destination.
 */
import type { CalledNumberSource } from '../../config/schema.js';
import { isEmergencyNumber, normalizeDestination, withoutAreaCode, type RoutingTable } from '../routing/index.js';
import { addressNumber, diversionNumbers, historyInfoNumbers } from './sip-address.js';

/** The parts of an INVITE the edge reads; header lookup is by lower-case name, all values joined. */
export interface InviteView {
  /** The peer's address as the transport saw it (not Via, which the peer writes). */
  readonly source: string;
  readonly requestUri: string;
  header(lowerCaseName: string): string | undefined;
}

export interface CalledNumberRules {
  readonly calledNumberFrom: readonly CalledNumberSource[];
  readonly stripPrefixes: readonly string[];
}

export interface CalledNumber {
  /** Digits as routing takes them: a line number, an emergency number, an unknown number; undefined when raw is no number. */
  readonly digits: string | undefined;
  /** Whether digits is a line of this hotline or an emergency number. */
  readonly known: boolean;
  readonly source: CalledNumberSource;
  /** The number as the carrier wrote it. */
  readonly raw: string;
}

const HEADER: Record<Exclude<CalledNumberSource, 'request-uri'>, string> = {
  to: 'to',
  'p-called-party-id': 'p-called-party-id',
  diversion: 'diversion',
  'history-info': 'history-info',
};

/** The numbers one place holds, the likeliest original first. */
export function numbersAt(source: CalledNumberSource, invite: InviteView): string[] {
  if (source === 'request-uri') {
    const n = addressNumber(invite.requestUri);
    return n === undefined ? [] : [n];
  }
  const value = invite.header(HEADER[source]);
  if (value === undefined || value.trim() === '') return [];
  if (source === 'diversion') return diversionNumbers(value);
  if (source === 'history-info') return historyInfoNumbers(value);
  const n = addressNumber(value);
  return n === undefined ? [] : [n];
}

const isKnown = (table: RoutingTable, digits: string): boolean => table.lines.has(digits) || isEmergencyNumber(digits);

/** The known number `raw` names (+86 / 0086, the area code, then a carrier prefix removed), else its plain digits. */
export function normalizeCalled(raw: string, table: RoutingTable, stripPrefixes: readonly string[]): { digits: string | undefined; known: boolean } {
  const plain = normalizeDestination(raw);
  if (!plain.ok) return { digits: undefined, known: false };
  const known = (candidate: { digits: string; international: boolean }): string | undefined => {
    if (isKnown(table, candidate.digits)) return candidate.digits;
    const local = withoutAreaCode(candidate, table.areaCode);
    return local !== undefined && isKnown(table, local) ? local : undefined;
  };
  const direct = known(plain);
  if (direct !== undefined) return { digits: direct, known: true };
  for (const prefix of stripPrefixes) {
    if (!plain.digits.startsWith(prefix) || plain.digits.length <= prefix.length) continue;
    const rest = normalizeDestination(plain.digits.slice(prefix.length));
    const found = rest.ok ? known(rest) : undefined;
    if (found !== undefined) return { digits: found, known: true };
  }
  return { digits: plain.digits, known: false };
}

export function calledNumber(rules: CalledNumberRules, invite: InviteView, table: RoutingTable): CalledNumber | undefined {
  let firstFound: CalledNumber | undefined;
  for (const source of rules.calledNumberFrom) {
    for (const raw of numbersAt(source, invite)) {
      const n = normalizeCalled(raw, table, rules.stripPrefixes);
      if (n.known) return { ...n, source, raw };
      firstFound ??= { ...n, source, raw };
    }
  }
  return firstFound;
}

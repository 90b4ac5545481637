/**
 * What the edge does with a new INVITE, before any media: refuse it with the status routing
 * gives (unknown number 404, emergency number 403, no destination 400), refuse what is not a
 * carrier at all, or forward it to FreeSWITCH as the line it is. Pure: the same table, trunk,
 * INVITE and instant give the same decision; caps and node health are decided apart (stateful).
 */
import type { Trunk } from '../../config/schema.js';
import { route, type RouteDecision, type RoutingTable } from '../routing/index.js';
import { calledNumber, type CalledNumber, type InviteView } from './called-number.js';

/** The headers FreeSWITCH receives from the edge; the router reads them as channel variables (variable_sip_h_…). */
export const LINE_HEADER = 'X-Hotline-Line';
export const DIALED_HEADER = 'X-Hotline-Dialed';
export const TRUNK_HEADER = 'X-Hotline-Trunk';

export type RefusalReason = 'scanner' | 'no-trunk' | 'no-destination' | 'unknown-number' | 'emergency';

export interface EdgeRefusal {
  readonly kind: 'refuse';
  readonly status: number;
  readonly reason: RefusalReason;
  readonly detail: string;
  readonly trunk?: string;
}

export interface EdgeForward {
  readonly kind: 'forward';
  readonly trunk: string;
  /** The line's number: the Request-URI user FreeSWITCH sees and the X-Hotline-Line value. */
  readonly line: string;
  readonly called: CalledNumber;
  readonly headers: Readonly<Record<string, string>>;
  readonly route: Exclude<RouteDecision, { kind: 'reject' }>;
}

export type EdgeDecision = EdgeRefusal | EdgeForward;

/** User-Agents of the SIP scanners seen on every public address (SIPVicious and kin). */
const SCANNER_AGENTS = ['friendly-scanner', 'sipvicious', 'sipcli', 'sip-scan', 'sipscan', 'vaxsipuseragent', 'iwar', 'sundayddr', 'pplsip', 'smap', 'sipptk', 'siparmyknife'];

export function isScannerUserAgent(userAgent: string | undefined): boolean {
  if (userAgent === undefined) return false;
  const ua = userAgent.toLowerCase();
  return SCANNER_AGENTS.some((s) => ua.includes(s));
}

function refusalOf(status: number): RefusalReason {
  if (status === 403) return 'emergency';
  if (status === 400) return 'no-destination';
  return 'unknown-number';
}

/** A header value may not carry CR / LF (header injection) and is kept short. */
const headerSafe = (s: string): string => s.replace(/[^\x20-\x7e]/g, '').slice(0, 64);

export function edgeDecision(table: RoutingTable, trunk: Trunk | undefined, invite: InviteView, at: number): EdgeDecision {
  if (isScannerUserAgent(invite.header('user-agent'))) {
    return { kind: 'refuse', status: 403, reason: 'scanner', detail: 'scanner User-Agent' };
  }
  if (trunk === undefined) {
    return { kind: 'refuse', status: 403, reason: 'no-trunk', detail: `no trunk has source ${invite.source}` };
  }
  const called = calledNumber(trunk, invite, table);
  const decision = route({ to: called === undefined ? '' : called.digits ?? called.raw }, table, at);
  if (decision.kind === 'reject') {
    return { kind: 'refuse', status: decision.sipStatus, reason: refusalOf(decision.sipStatus), detail: decision.reason, trunk: trunk.name };
  }
  // route() accepted, so called was found and names a line.
  const found = called as CalledNumber;
  const line = decision.line.number;
  return {
    kind: 'forward',
    trunk: trunk.name,
    line,
    called: found,
    headers: { [LINE_HEADER]: line, [DIALED_HEADER]: headerSafe(found.raw), [TRUNK_HEADER]: trunk.name },
    route: decision,
  };
}

/**
 * route(call, table, at): where a call to a dialed number goes, and a trail that says why.
 * Pure: the same call, table, instant and live view always give the same decision.
 */
import type { EMERGENCY_NUMBERS } from '../../config/schema.js';
import { formatDay, openAt } from '../schedule/index.js';
import { MS_PER_DAY } from '../schedule/dates.js';
import { normalizeDestination, withoutAreaCode } from './normalize.js';
import { closedText, resolveQueue } from './queue-chain.js';
import type { LineEntry, QueueLineEntry, RoutingTable, SubcenterLineEntry } from './table.js';
import type { CallRequest, LiveQueueView, OverflowHop, QueueDecision, RejectDecision, RouteDecision } from './types.js';

// Core may not import schema values; typing the copy as the schema's tuple makes a drift a compile error.
const EMERGENCY_LIST: typeof EMERGENCY_NUMBERS = ['110', '119', '120', '122'];
const EMERGENCY: ReadonlySet<string> = new Set(EMERGENCY_LIST);

export const isEmergencyNumber = (digits: string): boolean => EMERGENCY.has(digits);

function reject(sipStatus: number, reason: string, explanation: string[]): RejectDecision {
  explanation.push(`→ reject ${sipStatus}: ${reason}`);
  return { kind: 'reject', sipStatus, reason, explanation };
}

export function route(call: CallRequest, table: RoutingTable, at: number): RouteDecision {
  const explanation: string[] = [];
  const n = normalizeDestination(call.to);
  if (!n.ok) return reject(n.sipStatus, n.reason, explanation);

  let digits = n.digits;
  if (!EMERGENCY.has(digits) && !table.lines.has(digits)) {
    const local = withoutAreaCode(n, table.areaCode);
    if (local !== undefined && (EMERGENCY.has(local) || table.lines.has(local))) digits = local;
  }
  const dialed = call.to === digits ? digits : `${call.to} (= ${digits})`;

  if (EMERGENCY.has(digits)) {
    explanation.push(`dialed ${dialed}: emergency number`);
    // 403 is final everywhere: carriers route 110/119/120/122 to the emergency centre before
    // 12345 ever sees them, so one arriving here is misrouted and must not be queued or retried
    // on another 12345 node. (380 Alternative Service, RFC 5031, would say "re-route as
    // emergency" but carrier SBCs cannot be relied on to act on it.)
    return reject(403, `emergency number ${digits}: the carrier must route emergency calls to the emergency centre, never to 12345`, explanation);
  }
  const entry = table.lines.get(digits);
  if (entry === undefined) {
    explanation.push(`dialed ${dialed}: no such line on this hotline`);
    return reject(404, `unknown number ${digits}`, explanation);
  }
  explanation.push(`dialed ${dialed} → line ${entry.ref.number} ${entry.ref.name} (${entry.ref.mode})`);
  return entry.kind === 'queue'
    ? toQueue(entry, table, at, call.live, explanation)
    : toSubcenter(entry, table, at, call.live, explanation);
}

function welcome(table: RoutingTable, explanation: string[]): string[] {
  if (table.welcomePrompt === undefined) return [];
  explanation.push(`play welcome prompt ${table.welcomePrompt}`);
  return [table.welcomePrompt];
}

function toQueue(entry: QueueLineEntry, table: RoutingTable, at: number, live: LiveQueueView | undefined, explanation: string[]): QueueDecision {
  let prompts: string[];
  const t = entry.transition;
  if (t === undefined) {
    prompts = welcome(table, explanation);
  } else {
    const today = Math.floor(table.zone.localMs(at) / MS_PER_DAY);
    if (today <= t.untilDay) {
      // One short prompt at most before a human (policy): the transition prompt replaces the welcome.
      explanation.push(`transition period runs until ${t.until} (inclusive), today ${formatDay(today)} → play prompt ${t.prompt}`);
      prompts = [t.prompt];
    } else {
      explanation.push(`transition period ended ${t.until} → no transition prompt`);
      prompts = welcome(table, explanation);
    }
  }
  return queueDecision(entry, table, entry.queue, at, live, prompts, [], explanation);
}

function toSubcenter(entry: SubcenterLineEntry, table: RoutingTable, at: number, live: LiveQueueView | undefined, explanation: string[]): RouteDecision {
  const state = openAt(entry.schedule, at);
  if (state.open) {
    explanation.push(`sub-center schedule ${entry.scheduleId} open (${state.why}) → dial ${entry.dial}; no answer in ${entry.noAnswerSeconds} s → ${entry.overflowQueue}`);
    // The sub-center greets its own callers; the 12345 welcome is not played ahead of its seats.
    return {
      kind: 'subcenter', line: entry.ref, dial: entry.dial, noAnswerSeconds: entry.noAnswerSeconds,
      fallbackQueue: entry.overflowQueue, priority: entry.priority, prompts: [], explanation,
    };
  }
  explanation.push(`sub-center schedule ${entry.scheduleId} ${closedText(state.why, entry.schedule, at)} → overflow to ${entry.overflowQueue}`);
  // Closed sub-center: the caller now reaches 12345 agents, so the 12345 welcome applies.
  const prompts = welcome(table, explanation);
  const hops: OverflowHop[] = [{ subcenter: entry.ref.number, reason: 'subcenter-closed' }];
  return queueDecision(entry, table, entry.overflowQueue, at, live, prompts, hops, explanation);
}

function queueDecision(
  entry: LineEntry, table: RoutingTable, first: string, at: number, live: LiveQueueView | undefined,
  prompts: string[], hops: OverflowHop[], explanation: string[],
): QueueDecision {
  const choice = resolveQueue(table, first, at, live, explanation, hops);
  const base = { kind: 'queue', line: entry.ref, queue: choice.queue, priority: entry.priority, prompts, explanation } as const;
  return choice.hops.length === 0 ? base : { ...base, overflowedFrom: choice.hops };
}

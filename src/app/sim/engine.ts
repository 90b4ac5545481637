/**
 * One simulated day through the router's own parts: the routing table, the call sessions with
 * their pure state machine, the ACD service over the in-memory store (skills, longest idle,
 * priorities, overflow, no-answer), all on simulated time (EventClock), with a simulated switch
 * (SimMedia) and simulated agents (SimDesk) in place of FreeSWITCH and people. The records the
 * sessions write are what the figures come from, by the live metrics' own definitions.
 */
import type { Registry } from '../../config/schema.js';
import type { AcdStore } from '../../core/acd/store-port.js';
import type { CallRecord } from '../../core/call/index.js';
import { buildRoutingTable } from '../../core/routing/index.js';
import { parseIsoDate, zoneOf } from '../../core/schedule/index.js';
import { Random } from '../../core/staffing/index.js';
import type { Logger } from '../../lib/logger.js';
import { AcdService } from '../acd/acd-service.js';
import type { AcdEvent } from '../acd/acd-model.js';
import { CallManager, FilePromptCatalog, callPolicy } from '../call/index.js';
import { SimDesk } from './desk.js';
import { EventClock, type SettleMode } from './event-clock.js';
import { SimFarEnds } from './far-ends.js';
import { Occupancy } from './occupancy.js';
import type { SimProfile } from './profile.js';
import { SimMedia } from './sim-media.js';
import { simStaff } from './sim-registry.js';

const HOUR = 3_600_000;
/** After midnight, calls still in progress may finish for this long before the run is cut. */
const OVERTIME = 4 * HOUR;

export interface SimInput {
  readonly registry: Registry;
  readonly profile: SimProfile;
  /** a fresh, empty ACD store for the day (the in-memory one: the composition root provides it) */
  readonly newStore: () => AcdStore;
  readonly seed: number;
  /** local date, YYYY-MM-DD */
  readonly date: string;
  /** a silent pino logger (the sessions log per call) */
  readonly logger: Logger;
  /** 0..1 of the simulated day done; called now and then */
  readonly onProgress?: (fraction: number) => void;
  /** every ACD decision, in order (the no-drift test) */
  readonly onAcdEvent?: (e: AcdEvent) => void;
  /** every call the sessions and desks make into the ACD, with its instant (the no-drift test replays them) */
  readonly onAcdCall?: (at: number, method: string, args: readonly unknown[]) => void;
  /** how the clock waits for the router's work after each event (default microtask) */
  readonly settle?: SettleMode;
}

export interface SimRun {
  readonly records: readonly CallRecord[];
  readonly occupancy: Occupancy;
  readonly dayStart: number;
  /** events the clock fired */
  readonly events: number;
  /** calls cut at the end of the overtime (should be 0) */
  readonly unfinished: number;
}

const RECORDED = new Set(['enqueue', 'agentAnswered', 'agentNoAnswer', 'conversationEnded', 'callerLeft', 'login', 'ready', 'notReady', 'logout']);

/** The ACD, with every call that changes it reported first. */
function recording(acd: AcdService, report: (method: string, args: readonly unknown[]) => void): AcdService {
  return new Proxy(acd, {
    get(t, key) {
      const v: unknown = Reflect.get(t, key, t);
      if (typeof v !== 'function' || typeof key !== 'string' || !RECORDED.has(key)) return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      return (...args: unknown[]): unknown => {
        report(key, args);
        return (v as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}

/** Caller numbers: plausible mobile numbers, drawn from the arrivals' generator. */
function callerNumber(rng: Random): string {
  return `13${String(Math.floor(rng.next() * 1e9)).padStart(9, '0')}`;
}

export async function simulateDay(input: SimInput): Promise<SimRun> {
  const { profile } = input;
  const zone = zoneOf(input.registry.hotline.timeZone);
  const dayStart = zone.instantOf(parseIsoDate(input.date) * 86_400_000);
  const dayEnd = dayStart + 24 * HOUR;
  const staff = simStaff(input.registry, profile);
  const registry = staff.registry;

  const clock = new EventClock(dayStart, input.settle ?? 'microtask');
  const time = { clock, timers: clock };
  const arrivalsRng = new Random(input.seed);
  const worldRng = new Random(input.seed ^ 0x5bd1e995);
  const far = new SimFarEnds(profile, worldRng, staff.agentOfDial);
  const occupancy = new Occupancy(dayStart, staff.queuesOf);
  const listeners: ((e: AcdEvent) => void)[] = [];
  const acd = new AcdService({
    store: input.newStore(), registry, clock, timers: clock,
    log: { warn: () => undefined, error: (o, m) => input.logger.error(o, m) },
    observer: {
      onAcdEvent: (e) => {
        if (e.type === 'assigned') far.noteAssigned(e.agentId, e.queueId);
        occupancy.onEvent(e);
        for (const l of listeners) l(e);
        input.onAcdEvent?.(e);
      },
    },
  });
  const acdFacade: AcdService = input.onAcdCall === undefined ? acd : recording(acd, (m, a) => input.onAcdCall?.(clock.now(), m, a));
  const desk = new SimDesk(acdFacade, time, staff.plan, profile.returnSeconds);
  listeners.push((e) => { desk.onEvent(e); });
  await acd.start();

  const records: CallRecord[] = [];
  const table = buildRoutingTable(registry);
  let n = 0;
  const calls = new CallManager({
    table: () => table, policy: callPolicy(registry), ids: { next: (p) => `${p}-${(n += 1).toString(36)}` },
    logger: input.logger, acd: acdFacade, timers: clock, clock,
    prompts: new FilePromptCatalog(registry.prompts, 'sim'), records: { add: (r) => { records.push(r); } },
  });

  desk.start(dayStart);
  let callNo = 0;
  const arrivals: { at: number; fn: () => void }[] = [];
  for (const [line, hours] of Object.entries(profile.arrivals)) {
    hours.forEach((perHour, h) => {
      for (const at of arrivalsRng.arrivals(dayStart + h * HOUR, dayStart + (h + 1) * HOUR, perHour)) {
        const caller = callerNumber(arrivalsRng);
        arrivals.push({ at: Math.round(at), fn: () => {
          const uuid = `sim-${(callNo += 1).toString(36)}`;
          const channelData = { 'Caller-Destination-Number': line, 'Caller-Caller-ID-Number': caller, 'Unique-ID': uuid };
          void calls.accept({ channelData, media: new SimMedia(uuid, time, far) });
        } });
      }
    });
  }
  clock.atEach(arrivals);

  let lastReport = 0;
  const report = (now: number) => {
    if (input.onProgress === undefined || now - lastReport < 5 * 60_000) return;
    lastReport = now;
    input.onProgress(Math.min(1, (now - dayStart) / (dayEnd - dayStart)));
  };
  await clock.run(dayEnd, report);
  // The day is over: no new callers; the ones still in line or talking finish.
  while (calls.active > 0 && clock.now() < dayEnd + OVERTIME && clock.peek() !== undefined) {
    await clock.run(Math.min(dayEnd + OVERTIME, clock.now() + HOUR));
  }
  input.onProgress?.(1);
  occupancy.finish(clock.now());
  const unfinished = calls.active;
  await acd.stop();
  return { records, occupancy, dayStart, events: clock.events, unfinished };
}

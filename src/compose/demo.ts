/**
 * Demo mode (`hotline serve --demo`, `npm run demo`): the whole router with a simulated switch in
 * place of FreeSWITCH. Synthetic callers dial the registry's lines at a steady rate and reach the
 * router the way FreeSWITCH's calls do — one CallManager.accept per call, with a MediaControl
 * (the simulator's SimMedia, on real time here) — so the same call sessions, ACD, metrics,
 * records and API work on them. The registry's agents log in, answer, talk and wrap up by
 * themselves (SimDesk). Everything it makes is marked as demo: the board's banner, a `mode="demo"`
 * label on every metric, `demo: true` on every call record.
 */
import type { HealthComponent } from '../adapters/http/app.js';
import type { AcdService } from '../app/acd/acd-service.js';
import type { AcdEvent } from '../app/acd/acd-model.js';
import type { CallManager } from '../app/call/manager.js';
import type { CallRecordSink } from '../app/records/index.js';
import { SimDesk } from '../app/sim/desk.js';
import { SimFarEnds } from '../app/sim/far-ends.js';
import { resolveProfile } from '../app/sim/profile.js';
import { SimMedia } from '../app/sim/sim-media.js';
import type { TimerHandle, Timers } from '../app/timers.js';
import type { Registry } from '../config/schema.js';
import type { Clock } from '../core/ports.js';
import { Random } from '../core/staffing/index.js';
import type { Logger } from '../lib/logger.js';

export interface DemoOptions {
  readonly registry: Registry;
  readonly acd: AcdService;
  readonly calls: CallManager;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** synthetic calls an hour over all lines (default 720: one every 5 s) */
  readonly callsPerHour?: number;
  readonly seed?: number;
}

export interface DemoSwitch {
  /** feed every ACD event here (the synthetic agents watch their own state) */
  readonly onAcdEvent: (e: AcdEvent) => void;
  readonly health: readonly HealthComponent[];
  close(): Promise<void>;
}

export const DEMO_CALLS_PER_HOUR = 720;

/** Every record a demo call leaves says so. */
export function demoRecords(inner: CallRecordSink): CallRecordSink {
  return { add: (record) => { inner.add({ ...record, demo: true }); } };
}

export function startDemo(o: DemoOptions): DemoSwitch {
  const rng = new Random(o.seed ?? Date.now() % 2_147_483_647);
  // Short conversations so the board moves within a minute of starting.
  const profile = resolveProfile({
    arrivals: {},
    handle: { dist: 'lognormal', mean: 45, sd: 25 },
    patience: { dist: 'exponential', mean: 90 },
    agents: { answerSeconds: 3, noAnswerRate: 0.03, returnSeconds: 20 },
    promptSeconds: 3,
    surveySeconds: 3,
    subcenterAnswerSeconds: 6,
  });
  const time = { clock: o.clock, timers: o.timers };
  const far = new SimFarEnds(profile, rng, new Map(o.registry.agents.map((a) => [a.dial, a.id])));
  const all = o.registry.agents.map((a) => a.id);
  const desk = new SimDesk(o.acd, time, { queues: [{ agents: all, perHour: Array.from({ length: 24 }, () => all.length) }] }, profile.returnSeconds);
  const log = o.logger.child({ component: 'demo' });

  // 12345 itself takes most calls; the other lines share the rest.
  const lines = [o.registry.hotline.number, ...o.registry.lines.map((l) => l.number).filter((n) => n !== o.registry.hotline.number)];
  const pickLine = () => (rng.next() < 0.6 || lines.length === 1 ? lines[0] : lines[1 + Math.floor(rng.next() * (lines.length - 1))]) ?? o.registry.hotline.number;
  const meanGapMs = 3_600_000 / (o.callsPerHour ?? DEMO_CALLS_PER_HOUR);
  let next: TimerHandle | undefined;
  let n = 0;
  let stopped = false;
  const arrive = () => {
    if (stopped) return;
    n += 1;
    const uuid = `demo-${n.toString(36)}`;
    const caller = `13${String(Math.floor(rng.next() * 1e9)).padStart(9, '0')}`;
    const channelData = { 'Caller-Destination-Number': pickLine(), 'Caller-Caller-ID-Number': caller, 'Unique-ID': uuid };
    o.calls.accept({ channelData, media: new SimMedia(uuid, time, far) }).catch((err: unknown) => { log.error({ err }, 'demo call failed'); });
    next = o.timers.at(o.clock.now() + rng.exponential(meanGapMs), arrive);
  };
  desk.start(o.clock.now());
  next = o.timers.at(o.clock.now() + 1_000, arrive);
  log.warn({ callsPerHour: o.callsPerHour ?? DEMO_CALLS_PER_HOUR, agents: all.length }, 'DEMO MODE: simulated switch, synthetic callers and agents — no real calls');

  return {
    onAcdEvent: (e) => {
      if (e.type === 'assigned') far.noteAssigned(e.agentId, e.queueId);
      desk.onEvent(e);
    },
    health: [
      { name: 'freeswitch', check: () => ({ state: 'ok', detail: 'demo mode: simulated switch, no FreeSWITCH' }) },
      { name: 'demo', check: () => ({ state: 'ok', detail: `demo mode: ${n} synthetic calls so far, not real traffic` }) },
    ],
    close() {
      stopped = true;
      if (next !== undefined) o.timers.cancel(next);
      return Promise.resolve();
    },
  };
}

/**
 * A stats source the board test can drive: the real /api/stats and /api/stream routes over
 * snapshots the test pushes (the metrics' JSON contract, StatsSnapshot), built for the example
 * city.
 */
import type { FastifyInstance } from 'fastify';
import { statsRoutes, type StatsApi } from '../../src/adapters/http/routes/stats.js';
import type { StreamListener } from '../../src/app/metrics/index.js';
import type { AgentStateName, HourlyPoint, KpiSet, LineStats, QueueStats, Rate, StatsSnapshot } from '../../src/app/metrics/stats-model.js';

const F = {
  queueAnswer: 'answered ÷ (offered − short abandoned − overflowed out)',
  lineAnswer: 'answered ÷ (calls − short abandoned)',
  sl: 'answered within T ÷ (offered − short abandoned)',
  sat: '(satisfied + basically satisfied) ÷ survey answers (no answer excluded)',
};
const rate = (n: number, d: number, formula: string): Rate => ({ value: d > 0 ? n / d : null, numerator: n, denominator: d, formula });

export interface Figures {
  offered: number; answered: number; within: number; abandoned: number; shortAbandoned: number;
  overflowed: number; satisfied: number; surveyed: number; asa: number | null;
}

function kpis(f: Figures, answerFormula: string): KpiSet {
  return {
    counts: {
      calls: f.offered, offered: f.offered, answered: f.answered, subcenterAnswered: 0, abandoned: f.abandoned,
      shortAbandoned: f.shortAbandoned, overflowed: f.overflowed, skipped: 0, leftBeforeQueue: 0, released: 0,
      answeredWithinThreshold: f.within,
    },
    answerRate: rate(f.answered, f.offered - f.shortAbandoned - (answerFormula === F.queueAnswer ? f.overflowed : 0), answerFormula),
    serviceLevel: rate(f.within, f.offered - f.shortAbandoned, F.sl),
    serviceLevelSeconds: 15,
    wait: { asa: f.asa, p50: f.asa === null ? null : Math.round(f.asa * 0.8), p90: f.asa === null ? null : Math.round(f.asa * 2.1) },
    waitFromArrival: { asa: f.asa, p50: null, p90: null },
    satisfactionRate: rate(f.satisfied, f.surveyed, F.sat),
    survey: { satisfied: f.satisfied, basicallySatisfied: 0, unsatisfied: f.surveyed - f.satisfied, none: 0 },
    transfers: [],
  };
}

const AGENTS0: Record<AgentStateName, number> = { 'logged-out': 0, ready: 0, reserved: 0, ringing: 0, 'on-call': 0, 'wrap-up': 0, 'not-ready': 0 };

export function queueStats(queue: string, name: string, f: Figures, live: { waiting: number; longest: number | null; open?: boolean; agents?: Partial<Record<AgentStateName, number>> }): QueueStats {
  return {
    ...kpis(f, F.queueAnswer), queue, name, open: live.open ?? true, waitingNow: live.waiting, longestWaitSeconds: live.longest,
    agents: { ...AGENTS0, ...live.agents }, abandoned: f.abandoned, overflowed: f.overflowed, asa: f.asa,
  };
}

export function lineStats(line: string, name: string, mode: LineStats['mode'], f: Figures, live: { waiting: number; longest: number | null }): LineStats {
  return {
    ...kpis(f, F.lineAnswer), line, name, mode, waitingNow: live.waiting, longestWaitSeconds: live.longest,
    abandoned: f.abandoned, overflowed: f.overflowed, asa: f.asa,
  };
}

export const figures = (offered: number, answered: number, extra: Partial<Figures> = {}): Figures => ({
  offered, answered, within: Math.round(answered * 0.9), abandoned: offered - answered, shortAbandoned: 0, overflowed: 0,
  satisfied: Math.round(answered * 0.6), surveyed: Math.round(answered * 0.65), asa: 11.4, ...extra,
});

function hourly(untilHour: number): HourlyPoint[] {
  return Array.from({ length: 24 }, (_, hour) => {
    if (hour > untilHour || hour < 7) return { hour, answerRate: rate(0, 0, F.lineAnswer), avgWaitSeconds: null, offered: 0 };
    const offered = 40 + ((hour * 37) % 60);
    const answered = Math.round(offered * (0.86 + ((hour * 13) % 12) / 100));
    return { hour, answerRate: rate(answered, offered, F.lineAnswer), avgWaitSeconds: 6 + ((hour * 7) % 25), offered };
  });
}

/** The example city at 10:xx on a working day; `over` replaces parts. */
export function citySnapshot(over: Partial<StatsSnapshot> = {}): StatsSnapshot {
  const queues = [
    queueStats('general', '12345综合受理', figures(1000, 935, { overflowed: 12, asa: 9.8 }), { waiting: 4, longest: 42, agents: { ready: 3, 'on-call': 6, 'wrap-up': 1 } }),
    queueStats('pool-24x7', '7×24小时兜底坐席', figures(120, 111), { waiting: 0, longest: null, agents: { ready: 2, 'on-call': 1 } }),
    queueStats('transport', '交通运输专席', figures(300, 255, { within: 170, asa: 24.5 }), { waiting: 6, longest: 95, agents: { 'on-call': 3, 'not-ready': 1 } }),
    queueStats('market', '市场监管专席', figures(210, 199), { waiting: 1, longest: 8, agents: { ready: 1, ringing: 1, 'on-call': 1 } }),
    queueStats('social-security', '人社专席', figures(160, 151), { waiting: 0, longest: null, agents: { 'on-call': 2 } }),
    queueStats('health', '卫生健康专席', figures(0, 0, { asa: null }), { waiting: 0, longest: null, open: false }),
  ];
  const lines = [
    lineStats('12345', '12345政务服务便民热线', 'hotline', figures(1100, 1032), { waiting: 4, longest: 42 }),
    lineStats('12328', '交通运输服务监督热线', 'dual', figures(300, 255, { within: 170 }), { waiting: 6, longest: 95 }),
    lineStats('12315', '市场监管投诉举报热线', 'dual', figures(210, 199), { waiting: 1, longest: 8 }),
    lineStats('12366', '纳税缴费服务热线', 'subcenter', figures(80, 77), { waiting: 0, longest: null }),
    lineStats('12333', '人力资源和社会保障服务热线', 'dual', figures(160, 151), { waiting: 0, longest: null }),
    lineStats('12320', '卫生健康服务热线', 'dual', figures(0, 0, { asa: null }), { waiting: 0, longest: null }),
    lineStats('95598', '国家电网供电服务热线', 'subcenter', figures(40, 39), { waiting: 0, longest: null }),
  ];
  const total = kpis(figures(1690, 1563, { asa: 12.3 }), F.lineAnswer);
  return {
    at: new Date().toISOString(), timeZone: 'Asia/Shanghai', date: '2026-03-03', lines, queues,
    agents: { byState: { ...AGENTS0, ready: 6, ringing: 1, 'on-call': 11, 'wrap-up': 1, 'not-ready': 1, 'logged-out': 12 }, total: 32 },
    hourly: hourly(10), total, ...over,
  };
}

export interface FakeStats {
  plugin: (app: FastifyInstance) => Promise<void>;
  /** the next snapshot: served by /api/stats and sent to every open stream */
  push(snapshot: StatsSnapshot): void;
}

/**
 * The real stats routes (access metadata, department filtering, SSE framing) over a snapshot
 * source the test drives. `streamBroken`: /api/stream answers 503, for the polling fallback.
 */
export function fakeStats(initial: StatsSnapshot, opts: { streamBroken?: boolean } = {}): FakeStats {
  let current = initial;
  const listeners = new Set<StreamListener>();
  const api: StatsApi = {
    snapshot: () => Promise.resolve(current),
    subscribe(listener) {
      listeners.add(listener);
      // As the publisher does: a new subscriber gets the current snapshot at once.
      listener({ kind: 'snapshot', snapshot: current });
      return () => listeners.delete(listener);
    },
  };
  const routes = statsRoutes(api);
  const broken = async (app: FastifyInstance): Promise<void> => {
    await routes(app);
    app.addHook('onRequest', async (req, reply) => {
      if (req.routeOptions.url === '/api/stream') await reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'stream off' });
    });
  };
  return {
    push(snapshot) {
      current = snapshot;
      for (const l of listeners) l({ kind: 'snapshot', snapshot });
    },
    plugin: opts.streamBroken ? broken : routes,
  };
}

/**
 * The Prometheus view (the names of docs/metrics.md), on its own Registry (never prom-client's global one,
 * so two instances in one process — tests, benches — never collide). Counters move as records
 * arrive; the live gauges are read from the ACD when scraped. Label values go through the
 * label vocabulary: only registry values, `other` and `none`.
 */
import { Counter, Gauge, Histogram, Registry as PromRegistry, collectDefaultMetrics } from 'prom-client';
import type { QueueView } from '../../app/acd/acd-model.js';
import type { LiveAcd } from '../../app/metrics/index.js';
import type { CallFacts, LabelVocabulary, MetricsScope } from '../../core/metrics/index.js';
import { AGENT_STATUSES } from '../../core/acd/types.js';

export const STANDARD_WAIT_BUCKETS = [5, 10, 15, 20, 30, 60, 120, 300] as const;

export interface PromMetricsDeps {
  readonly scope: MetricsScope;
  readonly labels: LabelVocabulary;
  readonly acd: LiveAcd;
  /** process_* and nodejs_* metrics (default true) */
  readonly processMetrics?: boolean;
}

export interface PromMetrics {
  readonly registry: PromRegistry;
  observe(facts: CallFacts, line: string | undefined): void;
  /** One transfer attempt's end, as the transfer service reports it (its TransferMetrics port). */
  countTransfer(target: string, outcome: string): void;
}

export function waitBuckets(scope: MetricsScope): number[] {
  return [...new Set([...STANDARD_WAIT_BUCKETS, ...scope.queues.map((q) => q.serviceLevelSeconds)])].sort((a, b) => a - b);
}

export function createPromMetrics(deps: PromMetricsDeps): PromMetrics {
  const registry = new PromRegistry();
  const L = deps.labels;
  const registers = [registry];

  const calls = new Counter({ name: 'hotline_calls_total', help: 'Finished calls by dialed line, final queue and outcome', labelNames: ['line', 'queue', 'outcome'], registers });
  const wait = new Histogram({ name: 'hotline_wait_seconds', help: 'Wait of answered calls from queue entry to answer, by the queue they were answered in', labelNames: ['queue'], buckets: waitBuckets(deps.scope), registers });
  const overflows = new Counter({ name: 'hotline_overflows_total', help: 'Calls that left a queue they waited in for its overflow target', labelNames: ['from', 'to', 'reason'], registers });
  const skips = new Counter({ name: 'hotline_queue_skips_total', help: 'Calls that skipped a queue without entering it (closed, no agents, full)', labelNames: ['from', 'to', 'reason'], registers });
  const transfers = new Counter({ name: 'hotline_transfers_total', help: 'Transfers by target and outcome', labelNames: ['target', 'outcome'], registers });
  const surveys = new Counter({ name: 'hotline_survey_answers_total', help: 'Satisfaction survey answers by line', labelNames: ['line', 'result'], registers });

  // One ACD read per scrape, shared by the three live gauges (prom-client collects them concurrently).
  let inFlight: Promise<QueueView[]> | undefined;
  const queues = (): Promise<QueueView[]> => {
    inFlight ??= deps.acd.queues().finally(() => { inFlight = undefined; });
    return inFlight;
  };
  const known = (views: QueueView[]) => views.filter((v) => L.label('queue', v.id) === v.id);

  new Gauge({
    name: 'hotline_calls_waiting', help: 'Callers waiting in each queue now', labelNames: ['queue'], registers,
    async collect() {
      this.reset();
      for (const v of known(await queues())) this.set({ queue: v.id }, v.waiting);
    },
  });
  new Gauge({
    name: 'hotline_oldest_wait_seconds', help: 'How long the longest-waiting caller of each queue has waited (0 when empty)', labelNames: ['queue'], registers,
    async collect() {
      this.reset();
      for (const v of known(await queues())) this.set({ queue: v.id }, v.oldestWaitSeconds ?? 0);
    },
  });
  new Gauge({
    name: 'hotline_agents', help: 'Agents serving each queue, by state', labelNames: ['queue', 'state'], registers,
    async collect() {
      this.reset();
      for (const v of known(await queues())) {
        for (const state of AGENT_STATUSES) this.set({ queue: v.id, state }, v.agents[state]);
      }
    },
  });

  const pool = deps.scope.poolQueue;
  if (pool !== undefined) {
    new Gauge({
      name: 'hotline_pool_agents_logged_in', help: 'Agents logged in to the 7×24 pool queue (any state but logged-out): 0 means overflowing callers find nobody', registers,
      async collect() {
        const v = (await queues()).find((x) => x.id === pool);
        this.set(v === undefined ? 0 : AGENT_STATUSES.filter((s) => s !== 'logged-out').reduce((n, s) => n + v.agents[s], 0));
      },
    });
  }

  if (deps.processMetrics !== false) collectDefaultMetrics({ register: registry });

  return {
    registry,
    observe(f, line) {
      const lineLabel = L.label('line', line);
      const queue = L.label('queue', f.finalQueue);
      calls.inc({ line: lineLabel, queue, outcome: L.label('outcome', f.outcome) });
      if (f.outcome === 'answered' && f.wait !== undefined && f.finalQueue !== undefined) wait.observe({ queue }, f.wait);
      for (const m of f.overflows) overflows.inc({ from: L.label('queue', m.from), to: L.label('queue', m.to), reason: L.label('reason', m.reason) });
      for (const m of f.skips) skips.inc({ from: L.label('queue', m.from), to: L.label('queue', m.to), reason: L.label('reason', m.reason) });
      if (f.survey !== undefined) surveys.inc({ line: lineLabel, result: L.label('survey', f.survey) });
    },
    // Counted live by the transfer service, not from records: a record carrying its transfers
    // later must not count them a second time here.
    countTransfer(target, outcome) {
      transfers.inc({ target: L.label('target', target), outcome: L.label('transferOutcome', outcome) });
    },
  };
}

/**
 * Today's figures on /metrics, the same on every node: read at scrape from the figures behind
 * /api/stats (in shared mode rebuilt from the records database, so every node reports the whole
 * center). The counters of ./prometheus.ts are this node's calls since its start; these gauges are
 * what "the answer rate over the day so far" means (docs/metrics.md), so the alert on it needs no
 * PromQL reconstruction across restarts and nodes. A rate with nothing to divide by is absent,
 * not 0. Label values are registry lines and queues only, plus `all` for all lines together.
 */
import { Gauge, type Registry as PromRegistry } from 'prom-client';
import type { DayKpis } from '../../core/metrics/day-aggregate.js';
import type { KpiSet, Rate } from '../../core/metrics/kpi-types.js';

export const ALL_LINES = 'all';

function setRate(g: Gauge, labels: Record<string, string>, r: Rate): void {
  if (r.value !== null) g.set(labels, r.value);
}

export function registerDayMetrics(registry: PromRegistry, today: () => DayKpis): void {
  const registers = [registry];
  const lineLevel = new Gauge({ name: 'hotline_day_service_level_ratio', help: 'Share of today\'s calls answered within 15 s (15秒接通率), by line (all = all lines together)', labelNames: ['line'], registers: [] });
  const lineBase = new Gauge({ name: 'hotline_day_calls_counted', help: 'Denominator of today\'s answer rate by line: calls less short abandons', labelNames: ['line'], registers: [] });
  const queueAnswer = new Gauge({ name: 'hotline_day_queue_answer_ratio', help: 'Answer rate of today so far, by queue', labelNames: ['queue'], registers: [] });
  const queueLevel = new Gauge({ name: 'hotline_day_queue_service_level_ratio', help: 'Share of today\'s calls answered within the queue\'s serviceLevelSeconds, by queue', labelNames: ['queue'], registers: [] });
  const others = [lineLevel, lineBase, queueAnswer, queueLevel];
  // Registered first, so its collect (prom-client runs them in registration order, each
  // synchronous one to its end) reads the figures once per scrape and fills the other four.
  new Gauge({
    name: 'hotline_day_answer_ratio', help: 'Answer rate (接通率) of today so far, by line (all = all lines together); absent with no call yet', labelNames: ['line'], registers,
    collect() {
      const answer = this as Gauge;
      for (const g of [answer, ...others]) g.reset();
      const k = today();
      const line = (labels: { line: string }, set: KpiSet): void => {
        setRate(answer, labels, set.answerRate);
        setRate(lineLevel, labels, set.serviceLevel);
        lineBase.set(labels, set.answerRate.denominator);
      };
      line({ line: ALL_LINES }, k.total);
      for (const l of k.lines) line({ line: l.line }, l);
      for (const q of k.queues) {
        setRate(queueAnswer, { queue: q.queue }, q.answerRate);
        setRate(queueLevel, { queue: q.queue }, q.serviceLevel);
      }
    },
  });
  for (const g of others) registry.registerMetric(g);
}

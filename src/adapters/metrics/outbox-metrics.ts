/**
 * The durable outbox on /metrics. `hotline_outbox_deliveries_total{result}` counts this node's
 * attempts (per node: sum across instances). `hotline_outbox_items{state}` is read from the
 * shared database when scraped — the same on every node, so take max(), never sum().
 */
import { Counter, Gauge, type Registry as PromRegistry } from 'prom-client';
import type { OutboxTotals, WorkerCounters } from '../../app/outbox/index.js';

export interface OutboxMetricsSource {
  readonly counters: Readonly<WorkerCounters>;
  /** the database's totals now */
  totals(): Promise<OutboxTotals>;
}

export function registerOutboxMetrics(registry: PromRegistry, source: OutboxMetricsSource): void {
  const registers = [registry];
  new Counter({
    name: 'hotline_outbox_deliveries_total', help: 'Outbox delivery attempts by this node: delivered, retried (will be tried again), dead (given up)',
    labelNames: ['result'], registers,
    collect() {
      this.reset();
      for (const result of ['delivered', 'retried', 'dead'] as const) this.inc({ result }, source.counters[result]);
    },
  });
  new Gauge({
    name: 'hotline_outbox_items', help: 'Outbox items in the shared records database by state (cluster-wide: max() across nodes, not sum())',
    labelNames: ['state'], registers,
    async collect() {
      this.reset();
      const t = await source.totals();
      for (const state of ['pending', 'delivered', 'dead'] as const) this.set({ state }, t[state]);
    },
  });
}

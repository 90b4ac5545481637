/** Transfers counted by target and outcome, in memory (exported as hotline_transfers_total by the metrics adapter). */
import type { TargetKind } from '../../core/transfer/index.js';
import type { TransferMetricOutcome, TransferMetrics } from './ports.js';

export interface TransferCount {
  readonly target: string;
  readonly kind: TargetKind;
  readonly outcome: TransferMetricOutcome;
  readonly count: number;
}

export class TransferCounters implements TransferMetrics {
  private readonly counts = new Map<string, TransferCount>();

  count(target: string, kind: TargetKind, outcome: TransferMetricOutcome): void {
    const key = `${target}\u0000${outcome}`;
    const c = this.counts.get(key);
    this.counts.set(key, { target, kind, outcome, count: (c?.count ?? 0) + 1 });
  }

  snapshot(): TransferCount[] {
    return [...this.counts.values()].sort((a, b) => a.target.localeCompare(b.target) || a.outcome.localeCompare(b.outcome));
  }
}

/**
 * The formulas of docs/metrics.md as text, published with every number so a figure on the board or in
 * a report can be checked by hand. One place, so the same words mean the same thing everywhere.
 */
import type { Rate } from './kpi-types.js';

export const FORMULAS = {
  queueAnswerRate: 'answered ÷ (offered − short abandoned − overflowed out)',
  lineAnswerRate: 'answered ÷ (calls − short abandoned)',
  queueServiceLevel: 'answered within T ÷ (offered − short abandoned)',
  lineServiceLevel: 'answered within T ÷ (offered − short abandoned)',
  satisfaction: '(satisfied + basically satisfied) ÷ survey answers (no answer excluded)',
} as const;

/** The line-level service-level threshold: GB/T 33358-2016 "answer within 15 s". */
export const LINE_SERVICE_LEVEL_SECONDS = 15;

/** A rate with its parts; null (not 0, not NaN) when there is nothing to divide by. */
export function rate(numerator: number, denominator: number, formula: string): Rate {
  return { value: denominator > 0 ? numerator / denominator : null, numerator, denominator, formula };
}

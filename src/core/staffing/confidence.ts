/**
 * Mean and 95 % confidence interval over independent replications (Student's t): how far the
 * simulated figure may be from the one the model would give with infinitely many runs.
 */

/** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function tQuantile975(df: number): number {
  if (df < 1) return Number.POSITIVE_INFINITY;
  return T975[df - 1] ?? 1.96 + 2.4 / df;
}

export interface Estimate {
  readonly mean: number;
  /** half-width of the 95 % interval; null with one replication */
  readonly halfWidth: number | null;
  readonly n: number;
}

/** Over the values present (a replication without a figure, e.g. no answered call, is skipped). */
export function estimate(values: readonly (number | null)[]): Estimate | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length === 1) return { mean, halfWidth: null, n: 1 };
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, halfWidth: tQuantile975(xs.length - 1) * Math.sqrt(variance / xs.length), n: xs.length };
}

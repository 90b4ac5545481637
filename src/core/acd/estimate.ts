/**
 * Estimated wait for a position announcement.
 *
 *   EWT = position × AHT ÷ agentsServing          (seconds, rounded up)
 *
 * Each serving agent frees up about once per average handle time (AHT = talk + wrap-up), so
 * `agentsServing` agents clear `agentsServing` callers per AHT and the caller at `position`
 * is reached after position ÷ agentsServing of those rounds. This slightly overstates the wait
 * (agents are part-way through calls already), which is the safe side for an announcement.
 *
 * Fallbacks: no history yet → a configured AHT (default 180 s, a typical hotline call with
 * wrap-up); nobody serving (all on break) → no number at all, say "please hold" instead of a
 * made-up one. AHT is kept as an exponentially weighted moving average so it follows the day.
 */

export const DEFAULT_FALLBACK_HANDLE_SECONDS = 180;
export const DEFAULT_HANDLE_ALPHA = 0.1;

export interface WaitEstimateInput {
  /** 1-based position in the queue */
  readonly position: number;
  /** agents logged in, not on a not-ready break, serving the queue */
  readonly agentsServing: number;
  /** recent average handle time in seconds, null when there is no history yet */
  readonly averageHandleSeconds: number | null;
  readonly fallbackHandleSeconds?: number;
}

export interface WaitEstimate {
  /** null when there is no defensible number to say */
  readonly seconds: number | null;
  /** for "{minutes}" in the prompt: at least 1, never "0 minutes" */
  readonly minutes: number | null;
  readonly basis: 'history' | 'fallback' | 'no-agents';
}

export function estimateWait(input: WaitEstimateInput): WaitEstimate {
  if (input.agentsServing <= 0) return { seconds: null, minutes: null, basis: 'no-agents' };
  const hasHistory = input.averageHandleSeconds !== null && input.averageHandleSeconds > 0;
  const aht = hasHistory ? (input.averageHandleSeconds ?? 0) : (input.fallbackHandleSeconds ?? DEFAULT_FALLBACK_HANDLE_SECONDS);
  const position = Math.max(1, input.position);
  const seconds = Math.ceil((position * aht) / input.agentsServing);
  return { seconds, minutes: Math.max(1, Math.ceil(seconds / 60)), basis: hasHistory ? 'history' : 'fallback' };
}

/** Fold one finished call's handle time into the running average. */
export function updateHandleAverage(previous: number | null, sampleSeconds: number, alpha = DEFAULT_HANDLE_ALPHA): number {
  return previous === null ? sampleSeconds : previous + alpha * (sampleSeconds - previous);
}

/** Handle time of one call: talk (answer → hang-up) plus the queue's wrap-up. */
export function handleSeconds(answeredAt: number, hangupAt: number, wrapUpSeconds: number): number {
  return Math.max(0, hangupAt - answeredAt) / 1000 + wrapUpSeconds;
}

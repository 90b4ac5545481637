/**
 * Average handle time per queue, the divisor of the wait estimate. Kept in the store when it can
 * keep it (Redis: every node announces the same estimate), otherwise in this process.
 * Two nodes ending calls at once may each write an average missing the other's sample: an
 * estimate rounded to whole minutes does not notice.
 */
import { isServing } from '../../core/acd/agent-state.js';
import { estimateWait, updateHandleAverage } from '../../core/acd/estimate.js';
import type { AcdStore } from '../../core/acd/store-port.js';
import { AGENT_STATUSES } from '../../core/acd/types.js';
import type { WaitStatus } from './call-acd-port.js';

export class HandleTimes {
  private readonly local = new Map<string, number>();

  constructor(private readonly store: AcdStore) {}

  async get(queueId: string): Promise<number | null> {
    if (this.store.handleAverage === undefined) return this.local.get(queueId) ?? null;
    return this.store.handleAverage(queueId);
  }

  /** Best effort: a sample lost to an unreachable store only makes the estimate a little older. */
  async add(queueId: string, seconds: number): Promise<void> {
    if (this.store.handleAverage === undefined || this.store.setHandleAverage === undefined) {
      this.local.set(queueId, updateHandleAverage(this.local.get(queueId) ?? null, seconds));
      return;
    }
    try {
      const next = updateHandleAverage(await this.store.handleAverage(queueId), seconds);
      this.local.set(queueId, next);
      await this.store.setHandleAverage(queueId, next);
    } catch {
      // see above
    }
  }
}

/** Position and estimated wait of a caller waiting in `queueId`, from the (shared) store. */
export async function waitStatus(store: AcdStore, times: HandleTimes, queueId: string, callId: string): Promise<WaitStatus | null> {
  const position = await store.position(queueId, callId);
  if (position === null) return null;
  const counts = await store.agentCounts(queueId);
  const agentsServing = AGENT_STATUSES.reduce((n, s) => (isServing(s) ? n + counts[s] : n), 0);
  const estimate = estimateWait({ position, agentsServing, averageHandleSeconds: await times.get(queueId) });
  return { queueId, position, estimatedWaitMinutes: estimate.minutes };
}

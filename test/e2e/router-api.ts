/** Reading the router's call records (GET /api/calls/recent) from an e2e test. */
import type { CallRecord } from '../../src/app/records/index.js';
import { waitFor } from '../support/freeswitch/processes.js';
import type { RouterProcess } from '../support/freeswitch/router.js';

/** The record of the call to `line` that arrived after `since`, once the router has written it. */
export function recordOf(router: RouterProcess, line: string, since: number, timeoutMs = 10_000): Promise<CallRecord> {
  return waitFor(`call record for ${line}`, async () => {
    const { calls } = await router.get<{ calls: CallRecord[] }>('/api/calls/recent?limit=20');
    return calls.find((c) => c.line === line && c.arrivedAt >= since);
  }, timeoutMs, 200);
}

/** The router's HTTP API as the e2e suites use it: call records and agent states. */
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

async function agentStatus(router: RouterProcess, id: string): Promise<string | undefined> {
  const { agents } = await router.get<{ agents: { id: string; status: string }[] }>('/api/agents');
  return agents.find((a) => a.id === id)?.status;
}

/** Puts an agent in a state whatever it was in before (each test sets up what it needs). */
export async function agentTo(router: RouterProcess, id: string, target: 'ready' | 'not-ready' | 'logged-out'): Promise<void> {
  // An agent just off a call is in wrap-up (0 s here) for a moment: wait until it settles.
  const settled = await waitFor(`agent ${id} idle`, async () => {
    const s = await agentStatus(router, id);
    return s === 'ready' || s === 'not-ready' || s === 'logged-out' ? s : undefined;
  }, 10_000, 100);
  if (settled === target) return;
  if (target === 'logged-out') {
    expectOk(await router.post(`/api/agents/${id}/logout`), `logout ${id}`);
  } else {
    if (settled === 'logged-out') expectOk(await router.post(`/api/agents/${id}/login`), `login ${id}`);
    if (target === 'ready') expectOk(await router.post(`/api/agents/${id}/ready`), `ready ${id}`);
    else expectOk(await router.post(`/api/agents/${id}/not-ready`, { reason: 'break' }), `not-ready ${id}`);
  }
  await waitFor(`agent ${id} ${target}`, async () => ((await agentStatus(router, id)) === target ? true : undefined), 5_000, 100);
}

function expectOk(status: number, what: string): void {
  if (status !== 200) throw new Error(`${what}: HTTP ${status}`);
}

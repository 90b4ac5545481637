/** What the outbox tests share: a registry whose departments post to a local receiver, secrets, items. */
import type { WorkOrder } from '../../../src/app/transfer/index.js';
import type { Registry } from '../../../src/config/schema.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { cityRegistry } from '../../support/registry-builder.js';

export const SECRETS = { WO_SECRET: 'work-order-secret-0123', TRANSPORT_SECRET: 'transport-secret-012345', TAX_SECRET: 'taxation-secret-0123456' };

/** 12328 → transport, 12366 → taxation, each with a webhook at `<base>/dept/<id>`. */
export function registryFor(base: string): Registry {
  const r = cityRegistry();
  const department = (n: string) => (n === '12328' ? 'transport' : n === '12366' ? 'taxation' : undefined);
  const hook = (path: string, secretEnv: string) => ({ url: `${base}${path}`, secretEnv, callerNumbers: 'masked' as const, timeoutSeconds: 2 });
  return {
    ...r,
    lines: r.lines.map((l) => { const d = department(l.number); return d === undefined ? l : { ...l, department: d }; }),
    departments: {
      transport: { name: '交通运输局', webhook: hook('/dept/transport', 'TRANSPORT_SECRET') },
      taxation: { name: '税务局', webhook: hook('/dept/taxation', 'TAX_SECRET') },
    },
  };
}

export const order = (n: number): WorkOrder => ({
  type: 'transfer-failed', callSid: `call-wo-${n}`, line: '12345', target: 'police', targetNumber: '110', targetKind: 'emergency',
  reason: 'no-answer', cause: 'NO_ANSWER', at: new Date(0).toISOString(), agentId: '1001', legId: `leg-${n}`,
});

export const record = (n: number, line: string): CallRecord => ({
  callSid: `call-${n}`, fsUuid: `uuid-${n}`, caller: '13812345678', line, mode: 'dual', queue: 'traffic', hops: [], arrivedAt: 1_000 + n,
  queuedAt: 2_000 + n, answeredAt: 3_000 + n, agentId: '1001', agentsTried: ['1001'], endedAt: 60_000 + n, outcome: 'answered',
  waitSeconds: 1, waitFromArrivalSeconds: 2, survey: 'satisfied', hangupCause: 'NORMAL_CLEARING',
});

/** Fast retries for tests. */
export const TEST_WORKER = { pollMs: 20, retry: { maxAttempts: 60, baseDelayMs: 10, maxDelayMs: 80 } } as const;

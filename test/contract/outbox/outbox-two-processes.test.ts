/**
 * Two router processes' workers on one embedded file (the parent and a child process): every
 * item is sent exactly once across both, each department's records in order, and both did work.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openEmbedded } from '../../../src/adapters/records/index.js';
import { NodeTimers } from '../../../src/adapters/timers/index.js';
import { workOrderItem, type DepartmentRecordBody, type WorkerCounters } from '../../../src/app/outbox/index.js';
import { wireOutbox } from '../../../src/compose/outbox.js';
import { createLogger } from '../../../src/lib/logger.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';
import { SECRETS, TEST_WORKER, order, record, registryFor } from './outbox-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'hotline-outbox-2p-'));
afterAll(() => { rmSync(root, { recursive: true, force: true }); });
const clock = { now: () => Date.now() };
const logger = createLogger({ level: 'silent' });

it('a worker in another process on the same file: no id sent twice, order kept per department', async () => {
  const receiver = new WebhookReceiver();
  await receiver.up();
  const file = join(root, 'records.db');
  const db = await openEmbedded(file, logger);
  const child = fork(fileURLToPath(new URL('./outbox-worker-child.ts', import.meta.url)), [file, receiver.url('')], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const registry = registryFor(receiver.url(''));
    const outbox = await wireOutbox({
      db, registry, env: SECRETS, node: 'parent', clock, timers: new NodeTimers(clock), logger,
      workOrders: { url: receiver.url('/work-orders'), secret: SECRETS.WO_SECRET }, scheduler: null, worker: TEST_WORKER,
    });
    await new Promise<void>((resolve) => child.once('message', () => { resolve(); }));
    outbox.start();
    const records = Array.from({ length: 80 }, (_, i) => record(i + 1, i % 2 === 0 ? '12328' : '12366'));
    const orders = Array.from({ length: 20 }, (_, i) => order(i + 1));
    for (const [i, r] of records.entries()) {
      await db.insertCalls([{ record: r, node: 'parent' }], outbox.feedFor(r));
      const o = orders[i];
      if (o !== undefined) await db.enqueueOutbox([workOrderItem(o, clock.now())]);
    }
    const total = records.length + orders.length;
    const deadline = Date.now() + 30_000;
    while ((await db.outboxCounts()).delivered < total) {
      if (Date.now() > deadline) throw new Error('timed out waiting for deliveries');
      await new Promise((r) => setTimeout(r, 25));
    }
    await outbox.stop();
    const childCounters = await new Promise<WorkerCounters>((resolve) => {
      child.on('message', (m: { stopped?: WorkerCounters }) => { if (m.stopped) resolve(m.stopped); });
      child.send('stop');
    });

    const keys = receiver.received.map((r) => String(r.headers['idempotency-key']));
    expect(keys).toHaveLength(total);
    expect(new Set(keys).size).toBe(total);
    expect(outbox.worker.counters.delivered + childCounters.delivered).toBe(total);
    expect(outbox.worker.counters.delivered).toBeGreaterThan(0);
    expect(childCounters.delivered).toBeGreaterThan(0);
    for (const [path, line] of [['/dept/transport', '12328'], ['/dept/taxation', '12366']] as const) {
      const got = receiver.received.filter((r) => r.path === path).map((r) => (JSON.parse(r.body) as DepartmentRecordBody).record.callSid);
      expect(got).toEqual(records.filter((r) => r.line === line).map((r) => r.callSid));
    }
  } finally {
    child.kill('SIGKILL');
    await db.close();
    await receiver.down();
  }
  // The child starts through tsx: measured 10.5 s to ready on this shared 2-core machine under
  // load, as the other child-process tests allow for (test/contract/cluster/processes.test.ts).
}, 60_000);

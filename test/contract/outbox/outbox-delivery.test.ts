/**
 * The durable outbox end to end: a real local receiver that is down for a while (connection
 * refused, then 503), router nodes (the outbox wiring: work-order sink, department feeds, the
 * worker) restarted between attempts and sharing one records database, then the receiver up.
 * Each work order and department record is accepted exactly once per id, in order per
 * department; 4xx is dead at once, 5xx retried; several workers on one database never send the
 * same id twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from '../../../src/adapters/webhook/index.js';
import { NodeTimers } from '../../../src/adapters/timers/index.js';
import type { DepartmentRecordBody } from '../../../src/app/outbox/index.js';
import type { WorkOrder } from '../../../src/app/transfer/index.js';
import { wireOutbox, type OutboxWiring } from '../../../src/compose/outbox.js';
import { createLogger } from '../../../src/lib/logger.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';
import { outboxDatabases, type OutboxDbHandle } from './outbox-databases.js';
import { SECRETS, TEST_WORKER, order, record, registryFor } from './outbox-fixture.js';

const clock = { now: () => Date.now() };
const log = createLogger({ level: 'silent' });

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(20);
  }
}

const receivers: WebhookReceiver[] = [];
const nodes = new Set<OutboxWiring>();
const handles: OutboxDbHandle[] = [];
afterEach(async () => {
  for (const n of nodes) await n.stop();
  nodes.clear();
  for (const h of handles.splice(0)) await h.close();
  for (const r of receivers.splice(0)) await r.down();
});

describe.each(outboxDatabases())('durable outbox on $name', (dbKind) => {
  async function node(handle: OutboxDbHandle, receiver: WebhookReceiver, name: string): Promise<OutboxWiring> {
    const wiring = await wireOutbox({
      db: handle.db, registry: registryFor(receiver.url('')), env: SECRETS, node: name, clock, timers: new NodeTimers(clock), logger: log,
      workOrders: { url: receiver.url('/work-orders'), secret: SECRETS.WO_SECRET }, scheduler: null,
      worker: TEST_WORKER,
    });
    wiring.start();
    nodes.add(wiring);
    return wiring;
  }
  async function restart(old: OutboxWiring, oldHandle: OutboxDbHandle, receiver: WebhookReceiver, name: string) {
    await old.stop();
    nodes.delete(old);
    await oldHandle.close();
    const handle = await dbKind.connect();
    handles.push(handle);
    return { handle, node: await node(handle, receiver, name) };
  }

  it('receiver down, then failing, nodes restarted between attempts: every item accepted exactly once, in order per department', async () => {
    const receiver = new WebhookReceiver();
    receivers.push(receiver);
    await receiver.up();
    await receiver.down(); // the port is known and nobody listens: connection refused
    let hA = await dbKind.open();
    let hB = await dbKind.connect();
    handles.push(hA, hB);
    let a = await node(hA, receiver, 'node-a');
    let b = await node(hB, receiver, 'node-b');

    const orders = [1, 2, 3, 4, 5, 6].map(order);
    orders.forEach((o, i) => (i % 2 === 0 ? a : b).workOrders?.sink.submit(o));
    const records = Array.from({ length: 12 }, (_, i) => record(i + 1, i % 3 === 2 ? '12366' : '12328'));
    for (const r of records) await hA.storeRecord(r, a.feedFor(r));
    a.kick();

    const attempts = async (topic: string) => (await hA.db.outboxAfter(topic, 0, 1))[0]?.attempts ?? 0;
    await until('failed attempts on both topics', async () => (await attempts('dept:transport')) > 0 && (await attempts('work-orders')) > 0);
    expect(receiver.received).toEqual([]);

    // Both nodes down (the database closed), then up again on it.
    for (const n of [a, b]) { await n.stop(); nodes.delete(n); }
    await hA.close();
    await hB.close();
    hA = await dbKind.connect();
    hB = await dbKind.connect();
    handles.push(hA, hB);
    a = await node(hA, receiver, 'node-a');
    b = await node(hB, receiver, 'node-b');
    receiver.answer = () => 503;
    await receiver.up();
    await until('503 answers', () => Promise.resolve(receiver.received.length >= 3));
    await restart(b, hB, receiver, 'node-b');
    expect(receiver.accepted()).toEqual([]);

    receiver.answer = () => 200;
    const total = orders.length + records.length;
    await until('all delivered', async () => (await hA.db.outboxCounts()).delivered === total);
    expect(await hA.db.outboxCounts()).toEqual({ pending: 0, delivered: total, dead: 0 });

    const accepted = receiver.accepted();
    const keys = accepted.map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([
      ...orders.map((o) => `work-order:${o.callSid}:${o.legId}`),
      ...records.map((r) => `${r.callSid}:${r.line === '12366' ? 'taxation' : 'transport'}`),
    ].sort());
    for (const [path, secret] of [['/work-orders', SECRETS.WO_SECRET], ['/dept/transport', SECRETS.TRANSPORT_SECRET], ['/dept/taxation', SECRETS.TAX_SECRET]] as const) {
      for (const r of receiver.received.filter((x) => x.path === path)) expect(verify(secret, r.body, r.headers['x-hotline-signature'] as string)).toBe(true);
    }
    const deptOrder = (path: string) => accepted.filter((r) => r.path === path).map((r) => (JSON.parse(r.body) as DepartmentRecordBody).record.callSid);
    expect(deptOrder('/dept/transport')).toEqual(records.filter((r) => r.line === '12328').map((r) => r.callSid));
    expect(deptOrder('/dept/taxation')).toEqual(records.filter((r) => r.line === '12366').map((r) => r.callSid));
    const seqs = accepted.filter((r) => r.path === '/dept/transport').map((r) => Number(r.headers['x-hotline-seq']));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const first = JSON.parse(accepted.find((r) => r.path === '/dept/transport')?.body ?? '{}') as DepartmentRecordBody;
    expect(first.record.caller).toBe('138****5678');
    expect(accepted.filter((r) => r.path === '/work-orders').map((r) => JSON.parse(r.body) as WorkOrder).sort((x, y) => x.legId.localeCompare(y.legId))).toEqual(orders);
  });

  it('4xx is dead at once and the department\'s next record still goes; 5xx is retried until accepted', async () => {
    const receiver = new WebhookReceiver();
    receivers.push(receiver);
    await receiver.up();
    const tries = new Map<string, number>();
    receiver.answer = (_path, _body, headers) => {
      const key = String(headers['idempotency-key']);
      const n = (tries.get(key) ?? 0) + 1;
      tries.set(key, n);
      if (key === 'call-2:transport') return 422;
      if (key === 'call-3:transport') return n <= 2 ? 500 : 200;
      return 200;
    };
    const h = await dbKind.open();
    handles.push(h);
    const a = await node(h, receiver, 'node-a');
    const records = [1, 2, 3, 4].map((n) => record(n, '12328'));
    for (const r of records) await h.storeRecord(r, a.feedFor(r));
    a.kick();
    await until('all settled', async () => (await h.db.outboxCounts()).pending === 0);
    const rows = await h.db.outboxAfter('dept:transport', 0, 10);
    expect(rows.map((r) => [r.id, r.state, r.attempts])).toEqual([
      ['call-1:transport', 'delivered', 0], ['call-2:transport', 'dead', 1], ['call-3:transport', 'delivered', 2], ['call-4:transport', 'delivered', 0],
    ]);
    expect(rows[1]?.lastError).toBe('HTTP 422');
    expect(tries.get('call-2:transport')).toBe(1);
    expect(tries.get('call-3:transport')).toBe(3);
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual([
      'call-1:transport', 'call-2:transport', 'call-3:transport', 'call-3:transport', 'call-3:transport', 'call-4:transport',
    ]);
  });

  it('three workers on one database never send the same id twice', async () => {
    const receiver = new WebhookReceiver();
    receivers.push(receiver);
    await receiver.up();
    // Slow answers keep every worker busy claiming at the same time.
    receiver.answer = () => 200;
    const hs = [await dbKind.open(), await dbKind.connect(), await dbKind.connect()];
    handles.push(...hs);
    const workers = [];
    for (const [i, h] of hs.entries()) workers.push(await node(h, receiver, `node-${i}`));
    const records = Array.from({ length: 90 }, (_, i) => record(i + 1, i % 2 === 0 ? '12328' : '12366'));
    const orders = Array.from({ length: 30 }, (_, i) => order(i + 1));
    for (const [i, r] of records.entries()) {
      await hs[i % 3]?.storeRecord(r, workers[0]?.feedFor(r) ?? []);
      const o = orders[i];
      if (o !== undefined) workers[i % 3]?.workOrders?.sink.submit(o);
      if (i % 10 === 0) for (const w of workers) w.kick();
    }
    for (const w of workers) w.kick();
    await until('all delivered', async () => (await hs[0]?.db.outboxCounts())?.delivered === records.length + orders.length);
    const keys = receiver.received.map((r) => String(r.headers['idempotency-key']));
    expect(keys).toHaveLength(records.length + orders.length);
    expect(new Set(keys).size).toBe(keys.length);
    const order12328 = receiver.received.filter((r) => r.path === '/dept/transport').map((r) => (JSON.parse(r.body) as DepartmentRecordBody).record.callSid);
    expect(order12328).toEqual(records.filter((r) => r.line === '12328').map((r) => r.callSid));
  });
});

import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EdgeCalls, type EdgeMetricsPort, type PlaceOptions, type PlaceResult, type Respond } from '../../../src/app/edge/edge-calls.js';
import type { Trunk } from '../../../src/config/schema.js';
import { NodeBoard, type InviteView } from '../../../src/core/edge/index.js';
import { edgeTable, invite, MONDAY_10H, TRUNK } from './edge-fixtures.js';

const NODES = [{ name: 'fs-a', sip: '10.0.0.11:5060' }, { name: 'fs-b', sip: '10.0.0.12:5060' }];

interface Harness {
  calls: { onInvite: (i: InviteView, r: Respond) => Promise<void>; drain: () => void; readonly calls: number };
  board: NodeBoard;
  attempts: string[];
  /** Per attempt: whether the node could be given up on by timeout (another node left to try). */
  failover: boolean[];
  responses: { status: number; headers?: Readonly<Record<string, string>> }[];
  events: string[];
  clock: { at: number };
  hangUp: () => void;
}

/** `answers` per node, in order: a status, 'timeout', or 'ok' (connected until hangUp()). */
function harness(answers: Record<string, (number | 'timeout' | 'ok')[]>, trunk: Trunk = TRUNK): Harness {
  const board = new NodeBoard(NODES.map((n) => ({ name: n.name, maxSessions: 10 })));
  for (const n of NODES) board.keepAlive(n.name, 200);
  const attempts: string[] = [];
  const events: string[] = [];
  const hangUps: (() => void)[] = [];
  const clock = { at: MONDAY_10H };
  const metrics: EdgeMetricsPort = {
    decided: () => undefined,
    refused: (reason, t) => events.push(`refused ${reason} ${t ?? '-'}`),
    offered: (t, node) => events.push(`offered ${t} ${node}`),
    failedOver: (node, status) => events.push(`failover ${node} ${status ?? 'timeout'}`),
    connected: (t, node) => events.push(`connected ${t} ${node}`),
  };
  const failover: boolean[] = [];
  const place = (node: { name: string }, uri: string, headers: Readonly<Record<string, string>>, options: PlaceOptions): Promise<PlaceResult> => {
    failover.push(options.failover);
    attempts.push(`${node.name} ${uri} ${headers['X-Hotline-Line'] ?? ''}`);
    const answer = answers[node.name]?.shift() ?? 'timeout';
    if (answer === 'ok') return Promise.resolve({ ok: true, ended: new Promise<void>((resolve) => hangUps.push(resolve)) });
    return Promise.resolve({ ok: false, status: answer === 'timeout' ? undefined : answer, callerGone: false });
  };
  const calls = new EdgeCalls({
    table: edgeTable(), trunks: [trunk], nodes: NODES, board, now: () => clock.at, elapsed: () => 0, metrics,
    logger: pino({ level: 'silent' }),
  });
  const responses: Harness['responses'] = [];
  const edge = {
    onInvite: (i: InviteView, r: Respond) => calls.onInvite(i, r, place),
    drain: () => calls.drain(),
    get calls() { return calls.calls; },
  };
  return { calls: edge, board, attempts, failover, responses, events, clock, hangUp: () => { for (const h of hangUps.splice(0)) h(); } };
}

const respondTo = (h: Harness) => (status: number, headers?: Readonly<Record<string, string>>) => { h.responses.push(headers === undefined ? { status } : { status, headers }); };

describe('EdgeCalls', () => {
  it('hands a legacy line to the first node as that line, and counts the call until it ends', async () => {
    const h = harness({ 'fs-a': ['ok'] });
    const done = h.calls.onInvite(invite('sip:057112328@edge'), respondTo(h));
    await Promise.resolve();
    await Promise.resolve();
    expect(h.attempts).toEqual(['fs-a sip:12328@10.0.0.11:5060 12328']);
    expect(h.calls.calls).toBe(1);
    expect(h.board.view().find((n) => n.name === 'fs-a')?.sessions).toBe(1);
    h.hangUp();
    await done;
    expect(h.calls.calls).toBe(0);
    expect(h.board.view().find((n) => n.name === 'fs-a')?.sessions).toBe(0);
    expect(h.responses).toEqual([]);
  });

  it('fails over to the next node on timeout and on 5xx, and the caller hears no failure', async () => {
    for (const first of ['timeout', 503, 500] as const) {
      const h = harness({ 'fs-a': [first], 'fs-b': ['ok'] });
      const done = h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
      await new Promise((r) => setImmediate(r));
      expect(h.attempts.map((a) => a.split(' ')[0])).toEqual(['fs-a', 'fs-b']);
      expect(h.events).toContain(`failover fs-a ${first}`);
      h.hangUp();
      await done;
      expect(h.responses).toEqual([]);
      // The failed node goes last until its next keep-alive answer.
      expect(h.board.candidates()).toEqual(['fs-b', 'fs-a']);
    }
  });

  it('a call the node takes, or answers for itself (486), counts as the node answering its keep-alive', async () => {
    for (const answer of ['ok', 486] as const) {
      const h = harness({ 'fs-a': [answer] });
      h.board.keepAlive('fs-a', 200);
      h.board.keepAlive('fs-a', undefined);
      const done = h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
      await new Promise((r) => setImmediate(r));
      h.hangUp();
      await done;
      // Without the answer this second miss in a row would put fs-a down.
      h.board.keepAlive('fs-a', undefined);
      expect(h.board.view().find((n) => n.name === 'fs-a')?.state).toBe('up');
    }
  });

  it('gives a node up on timeout only while another node could take the call; the last one is waited for', async () => {
    const h = harness({ 'fs-a': ['timeout'], 'fs-b': ['ok'] });
    const done = h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
    await new Promise((r) => setImmediate(r));
    expect(h.attempts.map((a) => a.split(' ')[0])).toEqual(['fs-a', 'fs-b']);
    expect(h.failover).toEqual([true, false]);
    h.hangUp();
    await done;
    // One node only (the other down): never given up on by the edge's timer.
    const one = harness({ 'fs-a': ['ok'] });
    one.board.keepAlive('fs-b', undefined);
    one.board.keepAlive('fs-b', undefined);
    const call = one.calls.onInvite(invite('sip:12345@edge'), respondTo(one));
    await new Promise((r) => setImmediate(r));
    expect(one.failover).toEqual([false]);
    one.hangUp();
    await call;
  });

  it('passes a node\'s 486 to the caller without trying another node', async () => {
    const h = harness({ 'fs-a': [486], 'fs-b': ['ok'] });
    await h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
    expect(h.attempts).toHaveLength(1);
    expect(h.responses).toEqual([{ status: 486 }]);
  });

  it('answers 503 with Retry-After when every node failed', async () => {
    const h = harness({ 'fs-a': [500], 'fs-b': ['timeout'] });
    await h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
    expect(h.responses).toEqual([{ status: 503, headers: { 'Retry-After': '5' } }]);
    expect(h.events).toContain('refused no-node ct');
  });

  it('refuses unknown, emergency and undeclared-source calls without touching a node', async () => {
    const h = harness({});
    await h.calls.onInvite(invite('sip:88001234@edge'), respondTo(h));
    await h.calls.onInvite(invite('sip:119@edge'), respondTo(h));
    await h.calls.onInvite(invite('sip:12345@edge', {}, '192.0.2.9'), respondTo(h));
    expect(h.responses.map((r) => r.status)).toEqual([404, 403, 403]);
    expect(h.attempts).toEqual([]);
    expect(h.events).toEqual(['refused unknown-number ct', 'refused emergency ct', 'refused no-trunk -']);
  });

  it('answers 503 with Retry-After past the trunk\'s CPS cap', async () => {
    const h = harness({ 'fs-a': [486, 486, 486] }, { ...TRUNK, maxCallsPerSecond: 2 });
    for (let i = 0; i < 3; i++) await h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
    expect(h.responses).toEqual([{ status: 486 }, { status: 486 }, { status: 503, headers: { 'Retry-After': '1' } }]);
    h.clock.at += 1000;
    await h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
    expect(h.attempts).toHaveLength(3);
  });

  it('answers 503 past the trunk\'s concurrent calls until one ends', async () => {
    const h = harness({ 'fs-a': ['ok', 'ok'] }, { ...TRUNK, maxConcurrentCalls: 1 });
    const first = h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
    await new Promise((r) => setImmediate(r));
    await h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
    expect(h.responses).toEqual([{ status: 503, headers: { 'Retry-After': '1' } }]);
    h.hangUp();
    await first;
    const second = h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
    await new Promise((r) => setImmediate(r));
    expect(h.attempts).toHaveLength(2);
    h.hangUp();
    await second;
  });

  it('answers new INVITEs 503 once draining; a call in progress goes on', async () => {
    const h = harness({ 'fs-a': ['ok'] });
    const inProgress = h.calls.onInvite(invite('sip:12345@edge'), respondTo(h));
    await new Promise((r) => setImmediate(r));
    h.calls.drain();
    await h.calls.onInvite(invite('sip:12328@edge'), respondTo(h));
    expect(h.responses).toEqual([{ status: 503, headers: { 'Retry-After': '30' } }]);
    expect(h.calls.calls).toBe(1);
    h.hangUp();
    await inProgress;
    expect(h.calls.calls).toBe(0);
  });
});

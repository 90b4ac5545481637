/**
 * 来电最多接转一次 through the shared history: a caller handed over once (by this service, another
 * node or this caller's earlier call on a node that died) is refused a second non-emergency
 * transfer; emergency lines stay open; the hand-over is claimed before the agent leaves.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLiveCalls } from '../../../src/adapters/store/memory/index.js';
import { TransferCounters, TransferService, type TransferErrorCode } from '../../../src/app/transfer/index.js';
import { buildTransferDirectory } from '../../../src/core/transfer/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { shanghai } from '../../support/registry-builder.js';
import { FakeCalls, FakeControl, FakeWorkOrders } from './fake-ports.js';
import { transferRegistry } from './fixtures.js';

let clock: ManualClock;
let history: MemoryLiveCalls;

function service(calls: FakeCalls, control = new FakeControl(), metrics = new TransferCounters()) {
  const svc = new TransferService({
    directory: buildTransferDirectory(transferRegistry()), control, calls, workOrders: new FakeWorkOrders(), metrics, clock, history,
    logger: createLogger({ level: 'silent' }),
  });
  return { svc, control, metrics };
}

const code = async (p: Promise<unknown>): Promise<TransferErrorCode | 'ok'> =>
  p.then(() => 'ok' as const, (e: unknown) => (e as { code: TransferErrorCode }).code);

async function consultAnswered(svc: TransferService, control: FakeControl, callSid: string, target = '12366'): Promise<void> {
  await svc.start(callSid, target);
  control.dials.at(-1)?.settle({ kind: 'answered' });
  await settle();
}

beforeEach(() => {
  clock = new ManualClock(shanghai('2026-03-03 10:00'));
  history = new MemoryLiveCalls();
});

describe('TransferService with a shared transfer history', () => {
  it('a completed hand-over is claimed; the same caller on a new call (new node, restart) is refused, emergency still allowed', async () => {
    const calls = new FakeCalls();
    calls.add({ callSid: 'c1', callerUuid: 'caller-u' });
    const first = service(calls);
    await consultAnswered(first.svc, first.control, 'c1');
    await first.svc.complete('c1');
    expect(await history.handedTo('caller-u')).toBe('12366');

    // The caller's channel is taken back by another router (new service, new call sid).
    const again = new FakeCalls();
    again.add({ callSid: 'c9', callerUuid: 'caller-u' });
    const second = service(again);
    expect(await code(second.svc.start('c9', 'huzhou'))).toBe('HOTLINE_ERR_TRANSFER_LIMIT');
    expect(second.control.log).toEqual([]); // nothing sent to FreeSWITCH
    expect(second.metrics.snapshot()).toEqual([{ target: 'huzhou', kind: 'region', outcome: 'refused-limit', count: 1 }]);
    expect(await code(second.svc.start('c9', 'police'))).toBe('ok');
  });

  it('two calls of one caller completing at once: one hand-over wins, the other is refused and its agent stays', async () => {
    const callsA = new FakeCalls();
    callsA.add({ callSid: 'cA', callerUuid: 'caller-u' });
    const callsB = new FakeCalls();
    callsB.add({ callSid: 'cB', callerUuid: 'caller-u' });
    const a = service(callsA);
    const b = service(callsB);
    await consultAnswered(a.svc, a.control, 'cA');
    await consultAnswered(b.svc, b.control, 'cB', 'huzhou');
    const outcomes = await Promise.all([code(a.svc.complete('cA')), code(b.svc.complete('cB'))]);
    expect([...outcomes].sort()).toEqual(['HOTLINE_ERR_TRANSFER_LIMIT', 'ok']);
    const loser = outcomes[0] === 'ok' ? b : a;
    expect(loser.control.log.some((l) => l.startsWith('hangup') && l.includes('-agent'))).toBe(false);
    expect(['consulting', 'three-way']).toContain(loser.svc.view(loser === a ? 'cA' : 'cB').phase);
  });

  it('the agent hanging up during an answered consult hands over (as att_xfer): recorded in the history too', async () => {
    const calls = new FakeCalls();
    calls.add({ callSid: 'c1', callerUuid: 'caller-u' });
    const s = service(calls);
    await consultAnswered(s.svc, s.control, 'c1');
    s.control.hungUp('c1-agent');
    await settle();
    expect(s.svc.view('c1').phase).toBe('completed');
    await settle();
    expect(await history.handedTo('caller-u')).toBe('12366');
  });

  it('an emergency hand-over is not the caller\'s one transfer', async () => {
    const calls = new FakeCalls();
    calls.add({ callSid: 'c1', callerUuid: 'caller-u' });
    const s = service(calls);
    await consultAnswered(s.svc, s.control, 'c1', 'police');
    await s.svc.complete('c1');
    expect(await history.handedTo('caller-u')).toBeUndefined();
  });

  it('the shared state unreachable: 503 HOTLINE_ERR_STORE_UNAVAILABLE, nothing sent to FreeSWITCH', async () => {
    history.handedTo = () => Promise.reject(new Error('ECONNREFUSED'));
    const calls = new FakeCalls();
    calls.add({ callSid: 'c1' });
    const s = service(calls);
    expect(await code(s.svc.start('c1', '12366'))).toBe('HOTLINE_ERR_STORE_UNAVAILABLE');
    expect(s.control.log).toEqual([]);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { TransferCounters, TransferService, type TransferErrorCode } from '../../../src/app/transfer/index.js';
import { buildTransferDirectory } from '../../../src/core/transfer/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { shanghai } from '../../support/registry-builder.js';
import { FakeCalls, FakeControl, FakeWorkOrders } from './fake-ports.js';
import { transferRegistry } from './fixtures.js';

let clock: ManualClock;
let control: FakeControl;
let calls: FakeCalls;
let orders: FakeWorkOrders;
let metrics: TransferCounters;
let svc: TransferService;

beforeEach(() => {
  clock = new ManualClock(shanghai('2026-03-03 10:00'));
  control = new FakeControl();
  calls = new FakeCalls();
  orders = new FakeWorkOrders();
  metrics = new TransferCounters();
  svc = new TransferService({
    directory: buildTransferDirectory(transferRegistry()), control, calls, workOrders: orders, metrics, clock,
    logger: createLogger({ level: 'silent' }),
  });
  calls.add({ callSid: 'c1' });
});

const code = async (p: Promise<unknown>): Promise<TransferErrorCode | 'ok'> =>
  p.then(() => 'ok' as const, (e: unknown) => (e as { code: TransferErrorCode }).code);

describe('TransferService', () => {
  it('consult → three-way → complete → target leaves: commands, session notices, metrics', async () => {
    expect(await svc.start('c1', '12366')).toMatchObject({ phase: 'consulting', current: { target: '12366', answeredAt: undefined } });
    expect(calls.log).toEqual(['takeOver c1']);
    expect(control.log).toEqual(['enter hotline-c1 c1-caller c1-agent', 'dial sofia/gateway/tax/12366 30s']);
    expect(control.dials[0]?.req.callerIdNumber).toBe('12345');

    control.dials[0]?.settle({ kind: 'answered' });
    await settle();
    expect(svc.view('c1').current?.answeredAt).toBe(clock.now());
    expect((await svc.threeWay('c1')).phase).toBe('three-way');
    expect((await svc.complete('c1')).phase).toBe('completed');
    expect(control.log.slice(2)).toEqual(['unhold', 'hangup c1-agent NORMAL_CLEARING']);
    expect(calls.log).toEqual(['takeOver c1', 'agent-left c1']);

    control.hungUp('c1-agent'); // our own hang-up coming back: ignored
    control.hungUp('target-1');
    await settle();
    expect(control.log.at(-1)).toBe('release');
    expect(calls.log.at(-1)).toBe('conversation-over c1');
    expect(metrics.snapshot()).toEqual([{ target: '12366', kind: 'subcenter', outcome: 'completed', count: 1 }]);
    expect(svc.finish('c1')).toEqual([expect.objectContaining({ target: '12366', outcome: 'completed', endedAt: clock.now() })]);
    expect(svc.size).toBe(0);
  });

  it('no answer: caller back to the agent, one work order, then a second attempt is allowed', async () => {
    await svc.start('c1', '12366');
    clock.advance(30_000);
    control.dials[0]?.settle({ kind: 'no-answer', cause: 'NO_ANSWER' });
    await settle();
    expect(control.log.at(-1)).toBe('unhold');
    expect(orders.orders).toEqual([{
      type: 'transfer-failed', callSid: 'c1', line: '12345', target: '12366', targetNumber: '12366', targetKind: 'subcenter',
      reason: 'no-answer', cause: 'NO_ANSWER', at: '2026-03-03T02:00:30.000Z', agentId: 'a1', legId: 'c1-t1',
    }]);
    expect(svc.view('c1').phase).toBe('idle');
    await svc.start('c1', 'huzhou');
    expect(control.log.slice(-2)).toEqual(['hold', 'dial sofia/gateway/carrier/057212345 30s']);
    expect(metrics.snapshot()).toContainEqual({ target: '12366', kind: 'subcenter', outcome: 'no-answer', count: 1 });
  });

  it('refusals: limit, closed, unknown call/target, not with an agent, no transfer under way', async () => {
    await svc.start('c1', '12366');
    control.dials[0]?.settle({ kind: 'answered' });
    await settle();
    await svc.complete('c1');
    expect(await code(svc.start('c1', 'huzhou'))).toBe('HOTLINE_ERR_TRANSFER_LIMIT');
    expect(metrics.snapshot()).toContainEqual({ target: 'huzhou', kind: 'region', outcome: 'refused-limit', count: 1 });
    expect(await code(svc.start('c1', '110'))).toBe('ok');

    calls.add({ callSid: 'c2' });
    clock.advanceTo(shanghai('2026-03-03 18:00'));
    expect(await code(svc.start('c2', '12366'))).toBe('HOTLINE_ERR_TARGET_CLOSED');
    expect(await code(svc.start('nope', '12366'))).toBe('HOTLINE_ERR_UNKNOWN_CALL');
    expect(await code(svc.start('c2', '999'))).toBe('HOTLINE_ERR_UNKNOWN_TARGET');
    expect(await code(svc.cancel('c2'))).toBe('HOTLINE_ERR_TRANSFER_STATE');
    calls.add({ callSid: 'c3', bridgedToAgent: false });
    expect(await code(svc.start('c3', '110'))).toBe('HOTLINE_ERR_CALL_STATE');
  });

  it('a media-server failure entering the conference gives the caller back and reports TRANSFER_FAILED', async () => {
    control.failEnter = new Error('-ERR No such channel!');
    expect(await code(svc.start('c1', '12366'))).toBe('HOTLINE_ERR_TRANSFER_FAILED');
    expect(control.log).toEqual(['enter hotline-c1 c1-caller c1-agent', 'unhold']);
    expect(control.dials).toEqual([]);
    expect(svc.view('c1').phase).toBe('idle');
  });

  it('the caller hanging up mid-consult hangs up target and agent', async () => {
    await svc.start('c1', '12366');
    control.dials[0]?.settle({ kind: 'answered' });
    await settle();
    control.hungUp('c1-caller');
    await settle();
    expect(control.log.slice(-2)).toEqual(['hangup target-1 NORMAL_CLEARING', 'hangup c1-agent NORMAL_CLEARING']);
    expect(svc.view('c1').phase).toBe('ended');
  });

  it('DTMF feature code on the agent leg drives the same steps', async () => {
    for (const d of '*112366#') svc.agentDtmf('c1-agent', d);
    await settle();
    expect(svc.view('c1').phase).toBe('consulting');
    control.dials[0]?.settle({ kind: 'answered' });
    await settle();
    for (const d of '*2') svc.agentDtmf('c1-agent', d);
    await settle();
    expect(svc.view('c1').phase).toBe('three-way');
    for (const d of '*0') svc.agentDtmf('c1-agent', d);
    await settle();
    expect(svc.view('c1').phase).toBe('idle');
    svc.agentDtmf('someone-else', '*');
    expect(svc.view('c1').legs.map((l) => l.outcome)).toEqual(['cancelled']);
  });
  it('finish with a consult under way: the leg ends as caller-left, target and agent are hung up, the call is forgotten', async () => {
    await svc.start('c1', '12366');
    control.dials[0]?.settle({ kind: 'answered' });
    await settle();
    expect(svc.finish('c1')).toEqual([expect.objectContaining({ target: '12366', outcome: 'caller-left', cause: 'CALL_ENDED' })]);
    expect(svc.size).toBe(0);
    await settle();
    expect(control.log.slice(-2)).toEqual(['hangup target-1 NORMAL_CLEARING', 'hangup c1-agent NORMAL_CLEARING']);
    expect(metrics.snapshot()).toEqual([{ target: '12366', kind: 'subcenter', outcome: 'caller-left', count: 1 }]);
    // FreeSWITCH's hang-ups arriving afterwards find nothing to do.
    const before = control.log.length;
    control.hungUp('c1-caller');
    control.hungUp('target-1');
    await settle();
    expect(control.log).toHaveLength(before);
    calls.calls.delete('c1');
    expect(svc.finish('c1')).toEqual([]);
  });
});

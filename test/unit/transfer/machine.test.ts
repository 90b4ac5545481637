import { describe, expect, it } from 'vitest';
import {
  initialTransferState, transferStep, type TransferCommand, type TransferEvent, type TransferState,
} from '../../../src/core/transfer/index.js';
import { shanghai } from '../../support/registry-builder.js';
import { directory, target } from './fixtures.js';

const dir = directory();
const T0 = shanghai('2026-03-03 10:00');
const tax = target(dir, '12366');
const police = target(dir, '110');
const huzhou = target(dir, 'huzhou');
const L1 = 'c1-t1';
const L2 = 'c1-t2';

const start = (t = tax, at = T0): TransferEvent => ({ kind: 'start', at, target: t, agentId: 'a1' });
const ev = {
  answered: (legId = L1, at = T0 + 5000): TransferEvent => ({ kind: 'target-answered', at, legId }),
  failed: (reason: 'no-answer' | 'busy' | 'unreachable', legId = L1, at = T0 + 30_000): TransferEvent => ({ kind: 'target-failed', at, legId, reason, cause: reason === 'busy' ? 'USER_BUSY' : 'NO_ANSWER' }),
  threeWay: (at = T0 + 20_000): TransferEvent => ({ kind: 'three-way', at }),
  complete: (at = T0 + 40_000): TransferEvent => ({ kind: 'complete', at }),
  cancel: (at = T0 + 40_000): TransferEvent => ({ kind: 'cancel', at }),
  targetHangup: (legId = L1, at = T0 + 90_000): TransferEvent => ({ kind: 'target-hangup', at, legId, cause: 'NORMAL_CLEARING' }),
  agentHangup: (at = T0 + 50_000): TransferEvent => ({ kind: 'agent-hangup', at, cause: 'NORMAL_CLEARING' }),
  callerHangup: (at = T0 + 60_000): TransferEvent => ({ kind: 'caller-hangup', at, cause: 'NORMAL_CLEARING' }),
};

function run(events: readonly TransferEvent[], from: TransferState = initialTransferState('c1')): { state: TransferState; steps: TransferCommand[][] } {
  let state = from;
  const steps: TransferCommand[][] = [];
  for (const e of events) {
    const t = transferStep(state, e);
    state = t.state;
    steps.push([...t.commands]);
  }
  return { state, steps };
}
const kinds = (cmds: readonly TransferCommand[]): string[] => cmds.map((c) => (c.kind === 'notify-session' ? `notify:${c.notice}` : c.kind === 'refused' ? `refused:${c.refusal.code}` : c.kind));
const lastKinds = (events: readonly TransferEvent[]): string[] => kinds(run(events).steps.at(-1) ?? []);

describe('transfer machine: every step', () => {
  const table: { name: string; events: TransferEvent[]; phase: string; commands: string[] }[] = [
    { name: 'consult: caller into the conference on hold, target dialled', events: [start()], phase: 'consulting', commands: ['enter-conference', 'dial-target'] },
    { name: 'target answers: consult connected', events: [start(), ev.answered()], phase: 'consulting', commands: [] },
    { name: 'three-way: caller off hold', events: [start(), ev.answered(), ev.threeWay()], phase: 'three-way', commands: ['unhold-caller'] },
    { name: 'complete from three-way: agent leaves', events: [start(), ev.answered(), ev.threeWay(), ev.complete()], phase: 'completed', commands: ['hangup-agent', 'notify:agent-left'] },
    { name: 'complete straight from consult', events: [start(), ev.answered(), ev.complete()], phase: 'completed', commands: ['unhold-caller', 'hangup-agent', 'notify:agent-left'] },
    { name: 'cancel during consult', events: [start(), ev.answered(), ev.cancel()], phase: 'idle', commands: ['unhold-caller', 'hangup-target', 'leg-ended'] },
    { name: 'cancel while ringing', events: [start(), ev.cancel()], phase: 'idle', commands: ['unhold-caller', 'hangup-target', 'leg-ended'] },
    { name: 'cancel from three-way', events: [start(), ev.answered(), ev.threeWay(), ev.cancel()], phase: 'idle', commands: ['unhold-caller', 'hangup-target', 'leg-ended'] },
    { name: 'second consult after a cancel only holds (already in the conference)', events: [start(), ev.cancel(), start(huzhou, T0 + 45_000)], phase: 'consulting', commands: ['hold-caller', 'dial-target'] },
    { name: 'target leaves after complete: caller released to the session', events: [start(), ev.answered(), ev.complete(), ev.targetHangup()], phase: 'ended', commands: ['leg-ended', 'release-caller', 'notify:conversation-over'] },
    { name: 'target hangs up during consult: back to the agent', events: [start(), ev.answered(), ev.targetHangup(L1, T0 + 9000)], phase: 'idle', commands: ['unhold-caller', 'leg-ended'] },
    { name: 'agent hangs up in three-way = complete', events: [start(), ev.answered(), ev.threeWay(), ev.agentHangup()], phase: 'completed', commands: ['notify:agent-left'] },
    { name: 'agent hangs up in consult = complete (as att_xfer)', events: [start(), ev.answered(), ev.agentHangup()], phase: 'completed', commands: ['unhold-caller', 'notify:agent-left'] },
    { name: 'agent hangs up while target rings: target cancelled, caller released', events: [start(), ev.agentHangup()], phase: 'ended', commands: ['hangup-target', 'leg-ended', 'notify:agent-left', 'release-caller', 'notify:conversation-over'] },
    { name: 'agent hangs up after a cancel: caller released', events: [start(), ev.cancel(), ev.agentHangup()], phase: 'ended', commands: ['notify:agent-left', 'release-caller', 'notify:conversation-over'] },
    { name: 'caller hangs up in consult: target and agent hung up', events: [start(), ev.answered(), ev.callerHangup()], phase: 'ended', commands: ['hangup-target', 'leg-ended', 'hangup-agent'] },
    { name: 'caller hangs up after complete: target hung up', events: [start(), ev.answered(), ev.complete(), ev.callerHangup()], phase: 'ended', commands: ['hangup-target', 'leg-ended'] },
    { name: 'agent hangs up before any transfer: not ours', events: [ev.agentHangup()], phase: 'idle', commands: [] },
  ];
  it.each(table)('$name', ({ events, phase, commands }) => {
    const r = run(events);
    expect(r.state.phase).toBe(phase);
    expect(kinds(r.steps.at(-1) ?? [])).toEqual(commands);
  });

  it('dials the target with its ring time and number', () => {
    expect(run([start()]).steps[0]?.[1]).toEqual({ kind: 'dial-target', legId: L1, dial: 'sofia/gateway/tax/12366', ringSeconds: 30, number: '12366' });
  });
});

describe('transfer machine: failures return the caller and raise a work order', () => {
  it.each(['no-answer', 'busy', 'unreachable'] as const)('%s', (reason) => {
    const r = run([start(), ev.failed(reason)]);
    expect(r.state.phase).toBe('idle');
    const cmds = r.steps[1] ?? [];
    expect(kinds(cmds)).toEqual(['unhold-caller', 'work-order', 'leg-ended']);
    expect(cmds[1]).toEqual({ kind: 'work-order', legId: L1, target: '12366', number: '12366', targetKind: 'subcenter', reason, cause: reason === 'busy' ? 'USER_BUSY' : 'NO_ANSWER', agentId: 'a1', at: T0 + 30_000 });
    expect(r.state.legs).toEqual([expect.objectContaining({ outcome: reason, endedAt: T0 + 30_000, answeredAt: undefined })]);
  });

  it('a late failure or answer of a cancelled leg is ignored', () => {
    const r = run([start(), ev.cancel(), ev.failed('no-answer'), ev.answered()]);
    expect(r.steps.slice(2)).toEqual([[], []]);
    expect(r.state.phase).toBe('idle');
  });
});

describe('transfer machine: at most once, emergency excepted', () => {
  const completed = run([start(), ev.answered(), ev.threeWay(), ev.complete()]).state;

  it('refuses a second non-emergency transfer after a completed one', () => {
    expect(lastKinds([start(), ev.answered(), ev.complete(), start(huzhou, T0 + 60_000)])).toEqual(['refused:HOTLINE_ERR_TRANSFER_LIMIT']);
  });

  it('allows a second attempt after a cancel or a failure', () => {
    expect(lastKinds([start(), ev.failed('busy'), start(tax, T0 + 60_000)])).toEqual(['hold-caller', 'dial-target']);
  });

  it('adds an emergency line after completion without holding the caller; it joins on answer', () => {
    const r = run([start(police, T0 + 60_000), ev.answered(L2, T0 + 65_000)], completed);
    expect(kinds(r.steps[0] ?? [])).toEqual(['dial-target']);
    expect(r.state.phase).toBe('three-way');
    expect(r.state.current).toMatchObject({ legId: L2, kind: 'emergency', threeWayAt: T0 + 65_000 });
    // The sub-center seat leaves; the caller stays with 110.
    const after = run([ev.targetHangup(L1, T0 + 70_000)], r.state);
    expect(after.state.phase).toBe('three-way');
    expect(kinds(after.steps[0] ?? [])).toEqual(['leg-ended']);
  });

  it('refuses while a transfer is under way, and three-way before an answer', () => {
    expect(lastKinds([start(), start(police)])).toEqual(['refused:HOTLINE_ERR_TRANSFER_STATE']);
    expect(lastKinds([start(), ev.threeWay()])).toEqual(['refused:HOTLINE_ERR_TRANSFER_STATE']);
    expect(lastKinds([start(), ev.complete()])).toEqual(['refused:HOTLINE_ERR_TRANSFER_STATE']);
    expect(lastKinds([ev.complete()])).toEqual(['refused:HOTLINE_ERR_TRANSFER_STATE']);
    expect(lastKinds([ev.cancel()])).toEqual(['refused:HOTLINE_ERR_TRANSFER_STATE']);
  });

  it('refuses a closed sub-center with the schedule reason', () => {
    const r = run([start(tax, shanghai('2026-03-03 18:00'))]);
    expect(r.state.phase).toBe('idle');
    expect(r.steps[0]).toEqual([{ kind: 'refused', refusal: { code: 'HOTLINE_ERR_TARGET_CLOSED', reason: 'sub-center 纳税服务热线 (12366) is closed now: tue 09:00–17:00' } }]);
  });
});

describe('transfer legs for the call record', () => {
  it('records target, kind, times and outcome of every leg', () => {
    const r = run([start(), ev.failed('no-answer'), start(huzhou, T0 + 40_000), ev.answered(L2, T0 + 45_000), ev.threeWay(T0 + 50_000), ev.complete(T0 + 55_000), ev.targetHangup(L2, T0 + 95_000)]);
    expect(r.state.legs).toEqual([
      { legId: L1, target: '12366', kind: 'subcenter', number: '12366', agentId: 'a1', startedAt: T0, answeredAt: undefined, threeWayAt: undefined, completedAt: undefined, endedAt: T0 + 30_000, outcome: 'no-answer', cause: 'NO_ANSWER' },
      { legId: L2, target: 'huzhou', kind: 'region', number: '057212345', agentId: 'a1', startedAt: T0 + 40_000, answeredAt: T0 + 45_000, threeWayAt: T0 + 50_000, completedAt: T0 + 55_000, endedAt: T0 + 95_000, outcome: 'completed', cause: 'NORMAL_CLEARING' },
    ]);
    const ended = r.steps.flat().filter((c) => c.kind === 'leg-ended').map((c) => (c.kind === 'leg-ended' ? c.leg.outcome : ''));
    expect(ended).toEqual(['no-answer', 'completed']);
  });

  it('after the conversation is over nothing more happens', () => {
    const r = run([start(), ev.callerHangup(), ev.answered(), ev.targetHangup()]);
    expect(r.steps.slice(2)).toEqual([[], []]);
    expect(lastKinds([start(), ev.callerHangup(), start(police)])).toEqual(['refused:HOTLINE_ERR_TRANSFER_STATE']);
  });
});

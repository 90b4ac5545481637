import { describe, expect, it } from 'vitest';
import { atMostOnce, checkStart, initialTransferState, targetOpen, type TransferLeg, type TransferState } from '../../../src/core/transfer/index.js';
import { shanghai } from '../../support/registry-builder.js';
import { directory, target } from './fixtures.js';

const dir = directory();
const tax = target(dir, '12366');
const police = target(dir, 'police');
const huzhou = target(dir, 'huzhou');
const OPEN = shanghai('2026-03-03 10:00'); // Tuesday
const done = (kind: TransferLeg['kind'], t: string): TransferLeg => ({
  legId: 'c-t1', target: t, kind, number: t, agentId: 'a1', startedAt: 0, answeredAt: 1, threeWayAt: 2,
  completedAt: 3, endedAt: undefined, outcome: 'completed', cause: undefined,
});
const withLegs = (...legs: TransferLeg[]): TransferState => ({ ...initialTransferState('c'), phase: 'idle', legs });

describe('transfer directory', () => {
  it('resolves sub-centers by line number, other targets by id or number; unknown → refusal', () => {
    expect(target(dir, '12366')).toMatchObject({ kind: 'subcenter', dial: 'sofia/gateway/tax/12366', ringSeconds: 30, scheduleId: 'tax-hours' });
    expect(target(dir, '110')).toMatchObject({ id: 'police', kind: 'emergency' });
    expect(target(dir, ' huzhou ')).toMatchObject({ number: '057212345', ringSeconds: 30 });
    expect(dir.resolve('999')).toMatchObject({ code: 'HOTLINE_ERR_UNKNOWN_TARGET' });
  });

  it('lists targets with open/closed now and why', () => {
    const list = dir.list(shanghai('2026-03-02 10:00')); // tax closedDate
    expect(list.find((t) => t.id === '12366')).toMatchObject({ open: false, why: 'closed date 2026-03-02' });
    expect(list.find((t) => t.id === 'police')).toMatchObject({ open: true });
    expect(dir.list(OPEN).find((t) => t.id === '12366')).toMatchObject({ open: true });
  });
});

describe('transfer rules', () => {
  const cases: { name: string; state: TransferState; t: typeof tax; at: number; code: string | undefined }[] = [
    { name: 'first transfer to an open sub-center', state: withLegs(), t: tax, at: OPEN, code: undefined },
    { name: 'second after a completed one', state: withLegs(done('region', 'huzhou')), t: tax, at: OPEN, code: 'HOTLINE_ERR_TRANSFER_LIMIT' },
    { name: 'second to a region after a completed sub-center', state: withLegs(done('subcenter', '12366')), t: huzhou, at: OPEN, code: 'HOTLINE_ERR_TRANSFER_LIMIT' },
    { name: 'emergency after a completed one', state: withLegs(done('subcenter', '12366')), t: police, at: OPEN, code: undefined },
    { name: 'after a completed emergency one, a non-emergency one still may', state: withLegs(done('emergency', 'police')), t: tax, at: OPEN, code: undefined },
    { name: 'after cancelled and failed attempts', state: withLegs({ ...done('subcenter', '12366'), completedAt: undefined, outcome: 'cancelled' }, { ...done('region', 'huzhou'), completedAt: undefined, outcome: 'no-answer' }), t: tax, at: OPEN, code: undefined },
    { name: 'sub-center closed at night', state: withLegs(), t: tax, at: shanghai('2026-03-03 20:00'), code: 'HOTLINE_ERR_TARGET_CLOSED' },
    { name: 'sub-center closed on a holiday', state: withLegs(), t: tax, at: shanghai('2026-10-02 10:00'), code: 'HOTLINE_ERR_TARGET_CLOSED' },
    { name: 'emergency at night', state: withLegs(), t: police, at: shanghai('2026-03-03 03:00'), code: undefined },
    { name: 'a transfer already under way', state: { ...withLegs(), phase: 'consulting' }, t: police, at: OPEN, code: 'HOTLINE_ERR_TRANSFER_STATE' },
    { name: 'conversation over', state: { ...withLegs(), phase: 'ended' }, t: police, at: OPEN, code: 'HOTLINE_ERR_TRANSFER_STATE' },
  ];
  it.each(cases)('$name → $code', ({ state, t, at, code }) => {
    expect(checkStart(state, t, at)?.code).toBe(code);
  });

  it('gives the reasons', () => {
    expect(atMostOnce(withLegs(done('subcenter', '12366')), tax)?.reason).toContain('来电最多接转一次');
    expect(targetOpen(tax, shanghai('2026-10-02 10:00'))?.reason).toBe('sub-center 纳税服务热线 (12366) is closed now: 国庆节 holiday');
  });
});

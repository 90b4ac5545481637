/** The load a new call's admission reads on several FreeSWITCH nodes: its own node's. */
import { describe, expect, it } from 'vitest';
import { LoadShedder } from '../../../src/app/call/load-shedder.js';
import { FreeswitchLoads } from '../../../src/compose/freeswitch-loads.js';
import type { FreeswitchLoad } from '../../../src/core/capacity/index.js';
import { createLogger } from '../../../src/lib/logger.js';

const load = (sessions: number, maxSessions: number, sessionsPerSecondMax = 30): FreeswitchLoad => ({ sessions, maxSessions, sessionsPerSecondMax });

function twoNodes(a: FreeswitchLoad | undefined, b: FreeswitchLoad | undefined) {
  const readings: Record<string, FreeswitchLoad | undefined> = { 'fs-a': a, 'fs-b': b };
  const loads = new FreeswitchLoads();
  for (const name of ['fs-a', 'fs-b']) loads.add(name, { current: () => readings[name] });
  // The call's Core-UUID names its node, as the links' identities would.
  loads.locateBy((o) => (o.coreUuid === 'core-a' ? { name: 'fs-a' } : o.coreUuid === 'core-b' ? { name: 'fs-b' } : undefined));
  return { loads, readings };
}

describe('FreeswitchLoads', () => {
  it('a call on a node reads that node\'s sessions and the summed calls-per-second cap; no call, or no node told: the sum', () => {
    const { loads } = twoNodes(load(95, 100), load(10, 100));
    expect(loads.current({ coreUuid: 'core-a' })).toEqual(load(95, 100, 60));
    expect(loads.current({ coreUuid: 'core-b' })).toEqual(load(10, 100, 60));
    expect(loads.current()).toEqual(load(105, 200, 60));
    expect(loads.current({ coreUuid: 'elsewhere' })).toEqual(load(105, 200, 60));
  });

  it('a node not read now (its link down): its calls read the others\' sum', () => {
    const { loads } = twoNodes(undefined, load(10, 100));
    expect(loads.current({ coreUuid: 'core-a' })).toEqual(load(10, 100));
  });

  it('the same object until a reading changes (the shedder counts calls since a reading by identity)', () => {
    const { loads, readings } = twoNodes(load(1, 100), load(2, 100));
    const first = loads.current({ coreUuid: 'core-a' });
    expect(loads.current({ coreUuid: 'core-a' })).toBe(first);
    expect(loads.current()).toBe(loads.current());
    readings['fs-b'] = load(3, 100);
    expect(loads.current({ coreUuid: 'core-a' })).not.toBe(first);
  });

  it('one node: its reading as is, whatever the call says', () => {
    const only = load(5, 100);
    const loads = new FreeswitchLoads();
    loads.add('freeswitch', { current: () => only });
    expect(loads.current({ coreUuid: 'anything' })).toBe(only);
    expect(loads.current()).toBe(only);
  });

  it('through the shedder: node A near full sheds its calls while node B takes its own', () => {
    const { loads } = twoNodes(load(89, 100), load(10, 100));
    const shedder = new LoadShedder({ freeswitchSessionsShare: 0.9, callsPerSecond: 0, eventLoopDelayMs: 0 },
      { freeswitch: (o) => loads.current(o), eventLoopDelayMs: () => 0, routerCpuShare: () => 0 }, { now: () => 1_000 }, createLogger({ level: 'silent' }));
    expect(shedder.decide({ coreUuid: 'core-a' }).accept).toBe(true); // 89 + 0 accepted < 90
    // The call just accepted on A has a session A's reading lacks: A is at its mark now.
    expect(shedder.decide({ coreUuid: 'core-a' })).toMatchObject({ accept: false, reason: 'freeswitch-sessions' });
    expect(shedder.decide({ coreUuid: 'core-b' }).accept).toBe(true);
    expect(shedder.decide({ coreUuid: 'core-b' }).accept).toBe(true);
    expect(shedder.shed['freeswitch-sessions']).toBe(1);
  });
});

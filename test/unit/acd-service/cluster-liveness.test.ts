/**
 * A node's heartbeat settings: the registry counts one beat of a silence of every node before
 * its clock stops (a stalled store), so a TTL of two beats or less could reap a live node for the
 * store's stall. Refused when the service is built, not found out in production.
 */
import { describe, expect, it } from 'vitest';
import { MemoryAcdStore } from '../../../src/adapters/store/memory/index.js';
import { AcdService } from '../../../src/app/acd/acd-service.js';
import type { ClusterBus, NodeRegistry } from '../../../src/app/cluster/cluster-port.js';
import { ManualClock } from '../../support/manual-clock.js';
import { smallCity, TUE_10 } from './harness.js';

function build(beatMs: number, ttlMs: number): AcdService {
  const clock = new ManualClock(TUE_10);
  // Never called while building: the heartbeat starts with start().
  const unused = new Proxy({}, { get: () => { throw new Error('not used'); } });
  return new AcdService({
    store: new MemoryAcdStore(), registry: smallCity(), clock, timers: clock,
    cluster: { nodeId: 'n1', bus: unused as ClusterBus, registry: unused as NodeRegistry, beatMs, ttlMs },
  });
}

describe('cluster heartbeat settings', () => {
  it('a TTL of two beats or less is refused; more is taken', () => {
    expect(() => build(200, 400)).toThrow(RangeError);
    expect(() => build(200, 300)).toThrow(/ttlMs \(300\) must be more than twice beatMs \(200\)/);
    expect(build(200, 401)).toBeInstanceOf(AcdService);
    expect(build(1000, 3000)).toBeInstanceOf(AcdService);
  });
});

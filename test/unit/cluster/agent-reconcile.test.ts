/**
 * Agents left on the calls of a dead node: ended only when FreeSWITCH says the agent's channel
 * is gone — never while it is up, when FreeSWITCH cannot tell, or while the owner is alive.
 */
import { describe, expect, it } from 'vitest';
import { reconcileAgentCalls, type AgentReconcileDeps, type ChannelProbe } from '../../../src/app/cluster/agent-reconcile.js';
import { MemoryLiveCalls } from '../../../src/adapters/store/memory/index.js';
import type { LiveCallView } from '../../../src/app/cluster/live-calls.js';
import { transition, type AgentEvent } from '../../../src/core/acd/agent-state.js';
import type { AgentUpdateResult } from '../../../src/core/acd/store-port.js';
import type { AgentSnapshot } from '../../../src/core/acd/types.js';
import { createLogger } from '../../../src/lib/logger.js';

const NOW = 1_000_000;

/** listAgents / applyAgentEvent with the real transition and version check. */
class Agents {
  readonly all = new Map<string, AgentSnapshot>();
  onCall(id: string, callId: string): void {
    this.all.set(id, { id, skills: {}, queues: ['general'], state: { status: 'on-call', callId, queueId: 'general' }, since: 0, idleSince: null, version: 7 });
  }
  listAgents(): Promise<AgentSnapshot[]> { return Promise.resolve([...this.all.values()]); }
  applyAgentEvent(agentId: string, event: AgentEvent, now: number, expectedVersion?: number): Promise<AgentUpdateResult> {
    const a = this.all.get(agentId);
    if (a === undefined) return Promise.resolve({ ok: false, error: { code: 'unknown-agent' } } as AgentUpdateResult);
    if (expectedVersion !== undefined && a.version !== expectedVersion) return Promise.resolve({ ok: false, error: { code: 'version-mismatch' } } as unknown as AgentUpdateResult);
    const r = transition(a, event, now);
    if (r.ok) this.all.set(agentId, r.agent);
    return Promise.resolve(r as AgentUpdateResult);
  }
}

/** The directory with a switch for "is the owner alive". */
class Directory extends MemoryLiveCalls {
  readonly dead = new Set<string>();
  override async get(callSid: string): Promise<LiveCallView | undefined> {
    const c = await super.get(callSid);
    return c === undefined ? undefined : { ...c, ownerAlive: !this.dead.has(c.node) };
  }
}

class Probe implements ChannelProbe {
  readonly up = new Set<string>();
  name = 'fs1';
  freeswitch(): Promise<string> { return Promise.resolve(this.name); }
  failing = false;
  readonly asked: string[] = [];
  exists(uuid: string): Promise<boolean> {
    this.asked.push(uuid);
    return this.failing ? Promise.reject(new Error('ESL not connected')) : Promise.resolve(this.up.has(uuid));
  }
}

function setup() {
  const store = new Agents();
  const directory = new Directory();
  const probe = new Probe();
  const deps: AgentReconcileDeps = {
    store, directory, probe, clock: { now: () => NOW }, logger: createLogger({ level: 'silent' }), wrapUpSeconds: () => 0,
  };
  return { store, directory, probe, deps };
}

describe('reconcileAgentCalls', () => {
  it('owner alive: FreeSWITCH is not even asked; owner dead and the agent leg up: the agent stays on the call', async () => {
    const { store, directory, probe, deps } = setup();
    store.onCall('a1', 'c1');
    await directory.put({ callSid: 'c1', node: 'n1', callerUuid: 'u-caller', agentUuid: 'u-agent', agentId: 'a1' });
    expect((await reconcileAgentCalls(deps)).get('a1')).toBe('owner-alive');
    expect(probe.asked).toEqual([]);

    directory.dead.add('n1');
    probe.up.add('u-agent');
    for (let i = 0; i < 3; i += 1) expect((await reconcileAgentCalls(deps)).get('a1')).toBe('channel-up');
    expect(probe.asked).toEqual(['u-agent', 'u-agent', 'u-agent']);
    expect(store.all.get('a1')?.state.status).toBe('on-call');
  });

  it('FreeSWITCH cannot tell, or the call is unknown: the agent stays on the call', async () => {
    const { store, directory, probe, deps } = setup();
    store.onCall('a1', 'c1');
    store.onCall('a2', 'c-unknown');
    await directory.put({ callSid: 'c1', node: 'n1', callerUuid: 'u-caller', agentUuid: 'u-agent', agentId: 'a1' });
    directory.dead.add('n1');
    probe.failing = true;
    const r = await reconcileAgentCalls(deps);
    expect(r.get('a1')).toBe('probe-failed');
    expect(r.get('a2')).toBe('unknown-call');
    expect([...store.all.values()].map((a) => a.state.status)).toEqual(['on-call', 'on-call']);
  });

  it('owner dead and the agent leg gone: wrap-up (at least 1 s), its end armed on this node, record removed', async () => {
    const { store, directory, probe, deps: base } = setup();
    const armed: [string, number][] = [];
    const deps: AgentReconcileDeps = { ...base, wrapUpEnds: (id, until) => { armed.push([id, until]); } };
    store.onCall('a1', 'c1');
    await directory.put({ callSid: 'c1', node: 'n1', callerUuid: 'u-caller', agentUuid: 'u-agent', agentId: 'a1' });
    directory.dead.add('n1');
    probe.up.add('u-caller'); // the caller may still be up (parked, with a sub-center): the agent's leg decides
    expect((await reconcileAgentCalls(deps)).get('a1')).toBe('ended');
    expect(store.all.get('a1')?.state).toEqual({ status: 'wrap-up', callId: 'c1', queueId: 'general', until: NOW + 1_000 });
    expect(armed).toEqual([['a1', NOW + 1_000]]);
    expect(await directory.get('c1')).toBeUndefined();
    expect(await directory.byLeg('u-agent')).toBeUndefined();
  });

  it('a call on another FreeSWITCH is not judged by this one; on this one it is', async () => {
    const { store, directory, probe, deps } = setup();
    store.onCall('a1', 'c1');
    await directory.put({ callSid: 'c1', node: 'n1', callerUuid: 'u-caller', agentUuid: 'u-agent', agentId: 'a1', freeswitch: 'fs2' });
    directory.dead.add('n1');
    expect((await reconcileAgentCalls(deps)).get('a1')).toBe('other-freeswitch');
    expect(probe.asked).toEqual([]);
    expect(store.all.get('a1')?.state.status).toBe('on-call');
    probe.name = 'fs2';
    expect((await reconcileAgentCalls(deps)).get('a1')).toBe('ended');
  });

  it('without the agent leg the caller\'s decides', async () => {
    const { store, directory, probe, deps } = setup();
    store.onCall('a1', 'c1');
    await directory.put({ callSid: 'c1', node: 'n1', callerUuid: 'u-caller', agentUuid: undefined, agentId: 'a1' });
    directory.dead.add('n1');
    probe.up.add('u-caller');
    expect((await reconcileAgentCalls(deps)).get('a1')).toBe('channel-up');
    probe.up.delete('u-caller');
    expect((await reconcileAgentCalls(deps)).get('a1')).toBe('ended');
  });

  it('the agent changed meanwhile (another node ended it first): nothing changed twice', async () => {
    const { store, directory, deps } = setup();
    store.onCall('a1', 'c1');
    await directory.put({ callSid: 'c1', node: 'n1', callerUuid: 'u-caller', agentUuid: 'u-agent', agentId: 'a1' });
    directory.dead.add('n1');
    const racing: AgentReconcileDeps = {
      ...deps,
      probe: { freeswitch: () => Promise.resolve('fs1'), exists: async () => { await store.applyAgentEvent('a1', { type: 'hangup', callId: 'c1', wrapUpSeconds: 30 }, NOW); return false; } },
    };
    expect((await reconcileAgentCalls(racing)).get('a1')).toBe('changed');
    expect(store.all.get('a1')?.state).toMatchObject({ status: 'wrap-up', until: NOW + 30_000 });
  });
});

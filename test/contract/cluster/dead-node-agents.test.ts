/**
 * A dead node leaves no agent stuck on a call, and never frees one whose call is still up. Router
 * nodes as processes on one real redis-server; FreeSWITCH is the wire-level test peer on the
 * inbound ESL port, answering `uuid_exists` from the channels the test says exist. Node A takes a
 * call (the agent answers and talks on), is SIGKILLed; node B reconciles with the peer: while the
 * agent's channel exists the agent stays on-call (however many checks), once it is gone the agent
 * is back and takes B's next caller.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, RedisAcdStore } from '../../../src/adapters/store/redis/index.js';
import { FsPeer } from '../../support/fs-peer/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { startRouterNode, stopAllRouterNodes } from '../../support/router-node.js';
import { clusterCity } from './fixtures.js';
import { until } from './in-process.js';

const BEAT = 200;
const TTL = 800;
const RECONCILE = 200;
const PASSWORD = 'ClueCon';

describe.skipIf(!requireRedisServer())('agents on a SIGKILLed node\'s calls, reconciled with FreeSWITCH', () => {
  let redis: RedisServer;
  let peer: FsPeer;
  let watcher: RedisAcdStore | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
    peer = await FsPeer.start({ password: PASSWORD });
  });
  afterEach(async () => {
    await stopAllRouterNodes();
    await watcher?.close();
    peer.channels.clear();
    await redis.restart();
  });
  afterAll(async () => {
    await stopAllRouterNodes();
    await peer.close();
    await redis.stop();
  });

  it('on-call while the peer says the agent leg exists; back (and served B\'s caller) once it is gone', async () => {
    const registry = clusterCity(1);
    const asked: string[] = [];
    peer.api('uuid_exists', (_c, arg) => { asked.push(arg.trim()); return peer.channels.has(arg.trim()) ? 'true' : 'false'; });
    const a = await startRouterNode({ redisUrl: redis.url, registry, beatMs: BEAT, ttlMs: TTL, answer: 'auto', talkMs: 600_000 });
    const b = await startRouterNode({
      redisUrl: redis.url, registry, beatMs: BEAT, ttlMs: TTL, answer: 'auto', talkMs: 600_000,
      esl: { port: peer.port, password: PASSWORD, reconcileMs: RECONCILE },
    });
    watcher = new RedisAcdStore(await connectRedis(redis.url), { ownsClient: true });
    const w = watcher;
    const status = async (): Promise<string | undefined> => (await w.getAgent('a0'))?.state.status;

    await a.call('ready', ['a0']);
    expect(await a.call('enqueue', [{ callId: 'c1', priority: 0 }])).toEqual([]);
    await until('a0 on-call with c1 on A', async () => (await w.getAgent('a0'))?.state.status === 'on-call', 5_000);
    peer.channels.add('caller-1').add('agent-1');
    await a.call('live-call', { callId: 'c1', callerUuid: 'caller-1', agentUuid: 'agent-1', agentId: 'a0', freeswitch: peer.core.hostname });

    // While A lives, B does not even ask FreeSWITCH.
    await new Promise((r) => setTimeout(r, 3 * RECONCILE));
    expect(asked).toEqual([]);

    await a.kill();
    const killedAt = Date.now();
    // A's heartbeat expires (TTL); B checks the agent's leg every RECONCILE ms and finds it up.
    await until('B asked FreeSWITCH about the agent leg 5 times', () => asked.filter((u) => u === 'agent-1').length >= 5, TTL + 10 * RECONCILE + 2_000);
    expect(asked.every((u) => u === 'agent-1')).toBe(true); // the agent's leg, not the caller's
    expect(await status()).toBe('on-call');

    // B's next caller waits: the only agent is still talking.
    expect(await b.call('enqueue', [{ callId: 'c2', priority: 0 }])).toEqual([]);
    await new Promise((r) => setTimeout(r, 2 * RECONCILE));
    expect(await status()).toBe('on-call');
    expect((await b.report()).assignments).toEqual([]);

    // The agent hangs up (FreeSWITCH no longer has the leg; the caller may still be there).
    peer.channels.delete('agent-1');
    const goneAt = Date.now();
    await until('a0 assigned B\'s waiting caller', async () => (await b.report()).assignments.some((x) => x.callId === 'c2' && x.agentId === 'a0'), 5_000);
    const backMs = Date.now() - goneAt;
    // One reconcile period, the 1 s minimum wrap-up (its end armed by B, which put the agent
    // there, not left to the safety sweep), and the store round trips.
    expect(backMs).toBeLessThan(RECONCILE + 1_000 + 1_000);
    console.log(`dead-node agent back ${backMs} ms after its leg was gone (${goneAt - killedAt} ms after SIGKILL it was still on-call)`);
  }, 30_000);
});

/**
 * Chooses where the ACD's state lives. Unset REDIS_URL: in memory, one node. REDIS_URL: Redis,
 * shared by every router node of the deployment — this process becomes one node of the cluster
 * (a random node id per process, so a restarted node is a new node and its predecessor's
 * leftovers are reaped as a dead node's), with a second connection for the pub/sub bus and a
 * third for the heartbeat.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { AcdStore } from '../core/acd/store-port.js';
import type { ClusterLink } from '../app/cluster/cluster-port.js';
import type { RpcTransport } from '../app/cluster/call-rpc.js';
import type { LiveCallDirectory, TransferHistory } from '../app/cluster/live-calls.js';
import { MemoryAcdStore, MemoryLiveCalls } from '../adapters/store/memory/index.js';
import { connectRedis, RedisAcdStore, RedisBus, RedisLiveCalls, RedisNodeRegistry, RedisRpcTransport } from '../adapters/store/redis/index.js';
import type { HealthComponent } from '../adapters/http/app.js';
import type { Settings } from '../settings/settings.js';

export interface StateStore {
  readonly store: AcdStore;
  readonly health: HealthComponent;
  /** Redis only: this node's link to the others (give it to the AcdService). */
  readonly cluster?: ClusterLink;
  /** The calls in conversation and the callers' hand-overs (in memory on one node, Redis for several). */
  readonly liveCalls: LiveCallDirectory & TransferHistory;
  /** Redis only: the call RPC's transport (any node acts on any call). */
  readonly rpc?: RpcTransport;
  close(): Promise<void>;
}

export interface StateStoreOptions {
  /** connection errors while ioredis keeps reconnecting (default: ignored) */
  readonly onRedisError?: (err: Error) => void;
  /** keys live under `{deployment}:` (default `hotline`) */
  readonly deployment?: string;
}

/** host-pid-random, in the characters a Redis key and channel name of ours allow. */
export function newNodeId(): string {
  const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 32) || 'node';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

function redisHealth(client: Redis, nodeId: string): HealthComponent {
  return {
    name: 'state',
    // Degraded, not down: bridged calls carry on and new ones reach the 7×24 pool by the
    // dialplan's fallback while the client reconnects by itself.
    check: () => (client.status === 'ready'
      ? { state: 'ok', detail: `redis connected (node ${nodeId})` }
      : { state: 'degraded', detail: `redis ${client.status === 'end' ? 'closed' : 'reconnecting'} (node ${nodeId})` }),
  };
}

export async function openStateStore(settings: Settings, opts: StateStoreOptions = {}): Promise<StateStore> {
  if (settings.redisUrl === undefined) {
    return {
      store: new MemoryAcdStore(),
      health: { name: 'state', check: () => ({ state: 'ok', detail: 'in-memory (one node)' }) },
      liveCalls: new MemoryLiveCalls(),
      close: () => Promise.resolve(),
    };
  }
  const onError = opts.onRedisError ?? (() => undefined);
  const client = await connectRedis(settings.redisUrl, { onError });
  let subscriber: Redis;
  let beats: Redis;
  try {
    subscriber = await connectRedis(settings.redisUrl, { onError });
  } catch (err) {
    client.disconnect();
    throw err;
  }
  try {
    // The heartbeat on a connection of its own: never queued behind the store's commands.
    beats = await connectRedis(settings.redisUrl, { onError });
  } catch (err) {
    client.disconnect();
    subscriber.disconnect();
    throw err;
  }
  const deployment = opts.deployment;
  const nodeId = newNodeId();
  const store = new RedisAcdStore(client, { ...(deployment === undefined ? {} : { deployment }), ownsClient: true });
  const bus = new RedisBus(client, subscriber, deployment);
  return {
    store,
    health: redisHealth(client, nodeId),
    cluster: { nodeId, bus, registry: new RedisNodeRegistry(client, deployment, beats) },
    liveCalls: new RedisLiveCalls(client, deployment),
    rpc: new RedisRpcTransport(client, subscriber, deployment),
    async close() {
      await bus.close();
      await store.close();
      if (beats.status !== 'end') await beats.quit().catch(() => beats.disconnect());
    },
  };
}

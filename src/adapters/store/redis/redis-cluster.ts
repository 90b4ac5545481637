/**
 * The cluster ports over Redis: the node registry (heartbeat keys with a TTL, the reap script)
 * and the bus (pub/sub: one channel per node for assignments, one every node hears).
 *
 * Pub/sub is fire-and-forget: a message published while a node is disconnected is lost. That is
 * acceptable because nothing depends on a message alone — a lost assignment's reservation
 * expires (reservedUntil) and the owner re-queues its caller; a lost dispatch or sweep hint is
 * covered by the resynchronisation every node runs when its connection comes back.
 */
import type { Redis } from 'ioredis';
import type { ClusterBus, ClusterMessage, Liveness, NodeRegistry, Reaped } from '../../../app/cluster/cluster-port.js';
import { StoreUnavailableError } from './client.js';
import { CLUSTER_SCRIPTS, type ClusterScriptName } from './cluster-scripts.js';
import { CorruptRowError, decodeAgents, decodeEntries } from './codec.js';
import { NODE_ID, RedisKeys } from './keys.js';
import { ScriptRunner } from './script-runner.js';

function checkNodeId(nodeId: string): string {
  if (!NODE_ID.test(nodeId)) throw new RangeError(`node id must match ${String(NODE_ID)}, got ${JSON.stringify(nodeId)}`);
  return nodeId;
}

export class RedisNodeRegistry implements NodeRegistry {
  private readonly keys: RedisKeys;
  private readonly scripts: ScriptRunner<ClusterScriptName>;
  private readonly beats: ScriptRunner<ClusterScriptName>;

  /**
   * `beats`: a connection for the heartbeat alone (default `redis`), so a beat is never queued
   * behind thousands of the store's commands on a busy node.
   */
  constructor(redis: Redis, deployment?: string, beats?: Redis) {
    this.keys = new RedisKeys(deployment);
    this.scripts = new ScriptRunner<ClusterScriptName>(redis, CLUSTER_SCRIPTS);
    this.beats = beats === undefined ? this.scripts : new ScriptRunner<ClusterScriptName>(beats, CLUSTER_SCRIPTS);
  }

  async beat(nodeId: string, { ttlMs, beatMs }: Liveness): Promise<boolean> {
    const alive = await this.beats.run('beat', [this.keys.beats(), this.keys.nodes(), this.keys.clock()],
      [this.keys.prefix, checkNodeId(nodeId), String(Math.max(1, Math.round(ttlMs))), String(Math.max(0, Math.round(beatMs)))]);
    return alive === 1;
  }

  async reap(now: number, beatMs?: number): Promise<Reaped> {
    const reply = await this.scripts.run('reap', [this.keys.nodes(), this.keys.reservations(), this.keys.reaps(), this.keys.beats(), this.keys.clock()],
      [this.keys.prefix, String(now), ...(beatMs === undefined ? [] : [String(Math.max(0, Math.round(beatMs)))])]);
    if (!Array.isArray(reply) || reply.length !== 4 || !Array.isArray(reply[0])) throw new CorruptRowError('reap');
    return { nodes: reply[0].map(String), removed: decodeEntries(reply[1]), released: decodeAgents(reply[2]), generation: Number(reply[3]) };
  }

  async leave(nodeId: string): Promise<void> {
    await this.scripts.run('leave', [this.keys.beats()], [this.keys.prefix, checkNodeId(nodeId)]);
  }

  async alive(nodeId: string): Promise<boolean> {
    return (await this.scripts.run('alive', [this.keys.beats(), this.keys.clock()], [this.keys.prefix, checkNodeId(nodeId)])) === 1;
  }

  async owned(nodeId: string): Promise<{ callId: string; queueId: string }[]> {
    const flat = await this.scripts.run('owned', [this.keys.owned(checkNodeId(nodeId))], [this.keys.prefix]);
    if (!Array.isArray(flat)) throw new CorruptRowError('owned');
    const out: { callId: string; queueId: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ callId: String(flat[i]), queueId: String(flat[i + 1]) });
    return out;
  }
}

export class RedisBus implements ClusterBus {
  private readonly keys: RedisKeys;
  private nodeId: string | null = null;

  /**
   * `publisher` may be the store's client; `subscriber` must be a connection of its own (a
   * subscribed connection can do nothing else). ioredis re-subscribes it after a reconnect.
   */
  constructor(private readonly publisher: Redis, private readonly subscriber: Redis, deployment?: string) {
    this.keys = new RedisKeys(deployment);
  }

  async listen(nodeId: string, handler: (msg: ClusterMessage) => void): Promise<void> {
    this.nodeId = checkNodeId(nodeId);
    const own = this.keys.bus(nodeId);
    const all = this.keys.bus();
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== own && channel !== all) return;
      let msg: ClusterMessage;
      try {
        msg = JSON.parse(text) as ClusterMessage;
      } catch {
        return; // not ours to crash on: a foreign publisher on our channel
      }
      if (msg.from === this.nodeId && channel === all) return;
      handler(msg);
    });
    try {
      await this.subscriber.subscribe(own, all);
    } catch (err) {
      throw new StoreUnavailableError('subscribe', err);
    }
  }

  async send(nodeId: string, msg: ClusterMessage): Promise<boolean> {
    return (await this.publish(this.keys.bus(checkNodeId(nodeId)), msg)) > 0;
  }

  async broadcast(msg: ClusterMessage): Promise<void> {
    await this.publish(this.keys.bus(), msg);
  }

  async close(): Promise<void> {
    if (this.subscriber.status !== 'end') await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private async publish(channel: string, msg: ClusterMessage): Promise<number> {
    try {
      return await this.publisher.publish(channel, JSON.stringify(msg));
    } catch (err) {
      throw new StoreUnavailableError('publish', err);
    }
  }
}

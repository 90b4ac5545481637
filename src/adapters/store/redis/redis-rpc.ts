/**
 * The call RPC's transport over Redis pub/sub (app/cluster/call-rpc.ts): one channel per node,
 * `{deployment}:rpc:<node>`, on the bus's subscriber connection (a subscribed connection can
 * hold any number of channels; ioredis re-subscribes them after a reconnect). PUBLISH answers
 * how many subscribers heard it: 0 means the node is gone.
 */
import type { Redis } from 'ioredis';
import type { RpcEnvelope, RpcTransport } from '../../../app/cluster/call-rpc.js';
import { StoreUnavailableError } from './client.js';
import { NODE_ID, RedisKeys } from './keys.js';

export class RedisRpcTransport implements RpcTransport {
  private readonly keys: RedisKeys;
  private channel: string | undefined;
  private listener: ((channel: string, text: string) => void) | undefined;

  constructor(private readonly publisher: Redis, private readonly subscriber: Redis, deployment?: string) {
    this.keys = new RedisKeys(deployment);
  }

  async listen(nodeId: string, handler: (msg: unknown) => void): Promise<void> {
    if (!NODE_ID.test(nodeId)) throw new RangeError(`node id must match ${String(NODE_ID)}`);
    const own = this.keys.rpc(nodeId);
    this.channel = own;
    this.listener = (channel, text) => {
      if (channel !== own) return;
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        msg = text; // the RPC drops what it cannot read
      }
      handler(msg);
    };
    this.subscriber.on('message', this.listener);
    try {
      await this.subscriber.subscribe(own);
    } catch (err) {
      throw new StoreUnavailableError('subscribe', err);
    }
  }

  async send(nodeId: string, msg: RpcEnvelope): Promise<boolean> {
    try {
      return (await this.publisher.publish(this.keys.rpc(nodeId), JSON.stringify(msg))) > 0;
    } catch (err) {
      throw new StoreUnavailableError('publish', err);
    }
  }

  async close(): Promise<void> {
    if (this.listener !== undefined) this.subscriber.off('message', this.listener);
    if (this.channel !== undefined && this.subscriber.status === 'ready') await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }
}

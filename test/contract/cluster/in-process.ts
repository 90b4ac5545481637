/**
 * Cluster nodes in this process: each an AcdService over its own Redis connections (store and
 * subscriber), the bus and the node registry — separate connections, so two of them behave as
 * two router nodes do, only without the process boundary (see ./processes.test.ts for that).
 */
import { connectRedis, RedisAcdStore, RedisBus, RedisKeys, RedisNodeRegistry } from '../../../src/adapters/store/redis/index.js';
import { NodeTimers } from '../../../src/adapters/timers/index.js';
import { AcdService } from '../../../src/app/acd/acd-service.js';
import type { QueueNotice } from '../../../src/app/acd/call-acd-port.js';
import type { Registry } from '../../../src/config/schema.js';

export interface Node {
  readonly id: string;
  readonly acd: AcdService;
  readonly store: RedisAcdStore;
  readonly notices: Map<string, QueueNotice[]>;
  readonly errors: string[];
  call(callId: string, extra?: { priority?: number; seniority?: number; line?: string; caller?: string }): Promise<unknown>;
  /** The node's bus hears nothing (as while its subscriber reconnects), its heartbeat going on. */
  deafen(): Promise<void>;
  hear(): Promise<void>;
  /** A node dying: timers stopped and connections cut, without leaving the cluster. */
  crash(): Promise<void>;
  close(): Promise<void>;
}

export async function startNode(url: string, registry: Registry, id: string, opts: { beatMs?: number; ttlMs?: number } = {}): Promise<Node> {
  const client = await connectRedis(url);
  const sub = await connectRedis(url);
  const store = new RedisAcdStore(client, { ownsClient: true });
  const bus = new RedisBus(client, sub);
  const clock = { now: () => Date.now() };
  const errors: string[] = [];
  const acd = new AcdService({
    store, registry, clock, timers: new NodeTimers(clock),
    cluster: { nodeId: id, bus, registry: new RedisNodeRegistry(client), beatMs: opts.beatMs ?? 100, ttlMs: opts.ttlMs ?? 400 },
    log: { warn: () => undefined, error: (o, m) => errors.push(`${m} ${JSON.stringify(o)}`) },
  });
  await acd.start();
  const notices = new Map<string, QueueNotice[]>();
  let closed = false;
  return {
    id, acd, store, notices, errors,
    call: (callId, extra = {}) => acd.enqueue({ callId, queueId: 'general', priority: extra.priority ?? 0, line: extra.line ?? '12345',
      ...(extra.seniority === undefined ? {} : { seniority: extra.seniority }),
      ...(extra.caller === undefined ? {} : { caller: extra.caller }) }, (n) => {
      const list = notices.get(callId) ?? [];
      list.push(n);
      notices.set(callId, list);
    }),
    async deafen() {
      await sub.unsubscribe();
    },
    async hear() {
      const keys = new RedisKeys();
      await sub.subscribe(keys.bus(id), keys.bus());
    },
    async crash() {
      closed = true;
      sub.disconnect();
      client.disconnect();
      await acd.stop().catch(() => undefined);
    },
    async close() {
      if (closed) return;
      closed = true;
      await acd.stop();
      await bus.close();
      await store.close();
    },
  };
}

export function assignedTo(node: Node, callId: string): string[] {
  return (node.notices.get(callId) ?? []).flatMap((n) => (n.kind === 'assigned' ? [n.agent.id] : []));
}

export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await cond()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

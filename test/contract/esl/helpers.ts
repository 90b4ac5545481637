import type { EventEmitter } from 'node:events';
import { InboundEslClient, type InboundEslOptions } from '../../../src/adapters/esl/index.js';
import type { FsPeer } from '../../support/fs-peer/index.js';

/** Resolves with the arguments of the next `name` emission whose first argument passes `pred`. */
export function next<T>(emitter: EventEmitter<never> | EventEmitter, name: string, pred: (arg: T) => boolean = () => true): Promise<T> {
  const e = emitter as unknown as EventEmitter;
  return new Promise<T>((resolve) => {
    const on = (arg: T): void => {
      if (!pred(arg)) return;
      e.off(name, on);
      resolve(arg);
    };
    e.on(name, on);
  });
}

/** Collects `name` emissions into an array (for asserting that something did NOT happen). */
export function collect<T>(emitter: EventEmitter<never> | EventEmitter, name: string): T[] {
  const out: T[] = [];
  (emitter as unknown as EventEmitter).on(name, (arg: T) => out.push(arg));
  return out;
}

export function clientFor(peer: FsPeer, over: Partial<InboundEslOptions> = {}): InboundEslClient {
  return new InboundEslClient({
    host: peer.host,
    port: peer.port,
    password: 'ClueCon',
    heartbeatIntervalMs: 0,
    backoff: { initialMs: 5, maxMs: 20 },
    ...over,
  });
}

/** Settles a promise into a value to assert on (so a rejection is not "unhandled" meanwhile). */
export function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
}

/**
 * Registers the store's scripts on an ioredis client and calls them by name, typed, with every
 * failure that is not a Redis reply turned into StoreUnavailableError.
 */
import type { Redis } from 'ioredis';
import { isReplyError, StoreUnavailableError } from './client.js';
import { SCRIPTS, type ScriptDef, type ScriptName } from './scripts.js';

type Invoke = (...args: (string | number)[]) => Promise<unknown>;

export class ScriptRunner<N extends string = ScriptName> {
  private readonly fns = new Map<N, Invoke>();

  constructor(readonly redis: Redis, scripts: Readonly<Record<N, ScriptDef>> = SCRIPTS as unknown as Record<N, ScriptDef>) {
    if (redis.options.keyPrefix !== undefined && redis.options.keyPrefix !== '') {
      // ioredis would prefix KEYS but not the index keys the scripts derive from ARGV[1].
      throw new RangeError('RedisAcdStore: use the `deployment` option, not the ioredis keyPrefix option');
    }
    const methods = redis as unknown as Record<string, unknown>;
    for (const name of Object.keys(scripts) as N[]) {
      const script = scripts[name];
      // defineCommand is idempotent per name, so several stores may share one client.
      if (typeof methods[script.name] !== 'function') redis.defineCommand(script.name, { lua: script.lua, numberOfKeys: script.keys });
      const fn = methods[script.name];
      if (typeof fn !== 'function') throw new Error(`ioredis did not define ${script.name}`);
      this.fns.set(name, (fn as Invoke).bind(redis));
    }
  }

  /** Run a script: keys first, then the other arguments (ARGV[1], the prefix, included). */
  async run(name: N, keys: readonly string[], argv: readonly (string | number)[]): Promise<unknown> {
    const fn = this.fns.get(name);
    if (fn === undefined) throw new Error(`unknown script ${name}`);
    try {
      return await fn(...keys, ...argv);
    } catch (err) {
      throw wrap(name, err);
    }
  }

  /** Run a plain command through the same error mapping. */
  async call<T>(operation: string, f: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await f(this.redis);
    } catch (err) {
      throw wrap(operation, err);
    }
  }
}

function wrap(operation: string, err: unknown): unknown {
  return isReplyError(err) ? err : new StoreUnavailableError(operation, err);
}

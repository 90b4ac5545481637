/**
 * The node registry's clock leaves out every gap in its traffic past one beat period (time nobody
 * could beat in; on a loaded machine, every late beat). Heartbeats expire on that clock, so a
 * test's bound on a reap is on it too: wall time less what the clock left out meanwhile, read
 * from the clock's `skew`.
 */
import { connectRedis, RedisKeys } from '../../../src/adapters/store/redis/index.js';

export interface ClockWatch {
  /** Milliseconds the registry's clock has left out since the watch began. */
  leftOut(): Promise<number>;
  close(): void;
}

export async function watchRegistryClock(url: string): Promise<ClockWatch> {
  const redis = await connectRedis(url);
  const key = new RedisKeys().clock();
  const skew = async (): Promise<number> => Number(await redis.hget(key, 'skew') ?? 0);
  const start = await skew();
  return {
    leftOut: async () => await skew() - start,
    close: () => { redis.disconnect(); },
  };
}

import type { AcdStore } from '../core/acd/store-port.js';
import { MemoryAcdStore } from '../adapters/store/memory/index.js';
import type { HealthComponent } from '../adapters/http/app.js';
import type { Settings } from '../settings/settings.js';

export interface StateStore {
  readonly store: AcdStore;
  readonly health: HealthComponent;
  close(): Promise<void>;
}

/** The embedded default keeps state in memory (one node); REDIS_URL shares it between nodes. */
export function openStateStore(settings: Settings): Promise<StateStore> {
  if (settings.redisUrl !== undefined) {
    return Promise.reject(new Error('REDIS_URL: the Redis state store is not wired into serve yet'));
  }
  return Promise.resolve({
    store: new MemoryAcdStore(),
    health: { name: 'state', check: () => ({ state: 'ok', detail: 'in-memory (one node)' }) },
    close: () => Promise.resolve(),
  });
}

export { RedisAcdStore, type RedisAcdStoreOptions } from './redis-acd-store.js';
export { connectRedis, StoreUnavailableError, STORE_CLIENT_OPTIONS, whenReady, type ConnectOptions } from './client.js';
export { RedisKeys } from './keys.js';

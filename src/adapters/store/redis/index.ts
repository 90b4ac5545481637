/**
 * The Redis ACD store, for several router nodes sharing one ACD:
 *   const client = await connectRedis(url, { onError: (e) => log.warn(e) });
 *   const store = new RedisAcdStore(client, { deployment: 'hotline', ownsClient: true });
 * Beyond the AcdStore port: `expireReservations(now)` (node-death recovery) and `close()`.
 * Errors: StoreUnavailableError when Redis cannot be reached or does not answer in time.
 * The cluster ports (app/cluster): RedisNodeRegistry (heartbeats, reap) and RedisBus (pub/sub,
 * on a second connection: `connectRedis(url)` again).
 */
export { RedisAcdStore, type RedisAcdStoreOptions } from './redis-acd-store.js';
export { connectRedis, StoreUnavailableError, STORE_CLIENT_OPTIONS, whenReady, type ConnectOptions } from './client.js';
export { RedisKeys } from './keys.js';
export { RedisBus, RedisNodeRegistry } from './redis-cluster.js';
export { RedisLiveCalls } from './redis-live-calls.js';
export { RedisRpcTransport } from './redis-rpc.js';
export { RedisRegistrations } from './redis-registrations.js';

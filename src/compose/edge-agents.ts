/**
 * The edge's agent side, assembled: the registrations store (Redis when REDIS_URL is set, so
 * several edges share it; memory otherwise), the agents' secrets file, the registrar and the
 * agent calls from nodes.
 */
import { randomBytes } from 'node:crypto';
import { MemoryRegistrations } from '../adapters/store/memory/index.js';
import { connectRedis, RedisRegistrations } from '../adapters/store/redis/index.js';
import { digestCheck } from '../adapters/sip-edge/digest-crypto.js';
import type { EdgeMetrics } from '../adapters/sip-edge/metrics.js';
import { AgentCalls } from '../app/edge/agent-calls.js';
import { Registrar } from '../app/edge/registrar.js';
import type { AgentRegistrations } from '../app/edge/registrations.js';
import type { Registry } from '../config/schema.js';
import { SourceRate } from '../core/edge/index.js';
import type { Logger } from '../lib/logger.js';
import { loadAgentSecrets, type AgentSecrets } from '../settings/agent-secrets.js';
import type { EdgeSettings } from '../settings/edge-settings.js';

export interface EdgeAgents {
  readonly registrar: Registrar;
  readonly agentCalls: AgentCalls;
  readonly store: AgentRegistrations;
  close(): void;
}

export async function edgeAgents(registry: Registry, settings: EdgeSettings, metrics: EdgeMetrics, logger: Logger): Promise<EdgeAgents> {
  const agentIds = new Set(registry.agents.map((a) => a.id));
  let secrets: AgentSecrets | undefined;
  if (settings.agentSecretsFile === undefined) {
    logger.warn({}, 'no EDGE_AGENT_SECRETS_FILE: agents\' phones cannot register at the edge (REGISTER gets 403)');
  } else {
    secrets = await loadAgentSecrets(settings.agentSecretsFile, settings.sipRealm, agentIds);
  }
  let store: AgentRegistrations;
  let close = (): void => undefined;
  if (settings.redisUrl === undefined) {
    store = new MemoryRegistrations();
  } else {
    const client = await connectRedis(settings.redisUrl, { onError: (err) => logger.warn({ err }, 'edge registrations store: redis connection error') });
    store = new RedisRegistrations(client);
    close = () => client.disconnect();
  }
  if (secrets !== undefined && secrets.nonceKey === undefined && settings.redisUrl !== undefined) {
    logger.warn({}, 'agent secrets file has no nonceKey: each edge signs its own nonces, so a phone answering another edge\'s challenge is challenged again');
  }
  const now = (): number => Date.now();
  const registrar = new Registrar({
    ha1: secrets?.ha1,
    digest: digestCheck(secrets?.nonceKey ?? randomBytes(32).toString('base64url'), () => randomBytes(12).toString('base64url')),
    realm: settings.sipRealm,
    store,
    limits: { minExpires: settings.registerMinExpires, maxExpires: settings.registerMaxExpires, defaultExpires: Math.min(3600, settings.registerMaxExpires) },
    rate: new SourceRate(settings.registersPerMinute, 60_000),
    now,
    metrics: metrics.registrar,
    logger,
  });
  const agentCalls = new AgentCalls({ agents: agentIds, store, now, metrics: metrics.agentCalls, logger });
  return { registrar, agentCalls, store, close };
}

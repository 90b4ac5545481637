/**
 * Agents' SIP passwords for the edge's registrar, from a YAML or JSON file named by
 * EDGE_AGENT_SECRETS_FILE — never the registry, which is shared, reviewed and shown. Each agent
 * has its password or its HA1 (md5 of `id:realm:password`, so a copy of the file does not give
 * the password away). `nonceKey` signs digest nonces; every edge process of a deployment needs
 * the same one, since drachtio-server hands a challenge's answer to whichever edge it likes.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { digestHa1 } from '../adapters/sip-edge/digest-crypto.js';
import { readSecretsFile } from './secrets-file.js';

const AgentId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' });
const strict = { additionalProperties: false } as const;

export const AgentSecretsFile = Type.Object({
  nonceKey: Type.Optional(Type.String({ minLength: 32, maxLength: 256, description: 'signs digest nonces; the same on every edge' })),
  agents: Type.Array(Type.Union([
    // 8 characters at least: it is typed into a phone, but a short one falls to guessing.
    Type.Object({ id: AgentId, password: Type.String({ minLength: 8, maxLength: 128 }) }, strict),
    Type.Object({ id: AgentId, ha1: Type.String({ pattern: '^[0-9a-fA-F]{32}$' }) }, strict),
  ])),
}, strict);
export type AgentSecretsFile = Static<typeof AgentSecretsFile>;

export interface AgentSecrets {
  /** Agent id → HA1 for the realm. */
  readonly ha1: ReadonlyMap<string, string>;
  readonly nonceKey?: string;
}

export class AgentSecretsError extends Error {
  readonly code = 'HOTLINE_ERR_AGENT_SECRETS';
}

/** Validates parsed content; every problem at once, never a value (the file holds secrets). */
export function parseAgentSecrets(content: unknown, realm: string, knownAgents: ReadonlySet<string>, source = 'agent secrets'): AgentSecrets {
  const errors = [...Value.Errors(AgentSecretsFile, content)];
  if (errors.length > 0) {
    throw new AgentSecretsError(`${source}: ${[...new Set(errors.map((e) => `${e.path || '/'}: ${e.message}`))].join('; ')}`);
  }
  const file = content as AgentSecretsFile;
  const problems: string[] = [];
  const ha1 = new Map<string, string>();
  for (const entry of file.agents) {
    if (ha1.has(entry.id)) problems.push(`agent "${entry.id}" appears twice`);
    if (!knownAgents.has(entry.id)) problems.push(`no agent "${entry.id}" in the registry`);
    ha1.set(entry.id, 'password' in entry ? digestHa1(entry.id, realm, entry.password) : entry.ha1.toLowerCase());
  }
  if (problems.length > 0) throw new AgentSecretsError(`${source}: ${problems.join('; ')}`);
  return Object.freeze({ ha1, ...(file.nonceKey === undefined ? {} : { nonceKey: file.nonceKey }) });
}

export async function loadAgentSecrets(path: string, realm: string, knownAgents: ReadonlySet<string>): Promise<AgentSecrets> {
  const content = await readSecretsFile('EDGE_AGENT_SECRETS_FILE', path, (message) => new AgentSecretsError(message));
  return parseAgentSecrets(content, realm, knownAgents, path);
}

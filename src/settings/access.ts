/**
 * Who may use the HTTP API: API tokens with roles, from a YAML or JSON file named by
 * HOTLINE_TOKENS_FILE. Validated once against a schema and frozen, like the other settings.
 * The file may hold a token's SHA-256 (hex) instead of the token itself, so a leaked copy of
 * the file does not leak working credentials.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { readSecretsFile } from './secrets-file.js';

export const ROLES = ['admin', 'supervisor', 'agent', 'department'] as const;
export type Role = (typeof ROLES)[number];

const Common = {
  name: Type.String({ minLength: 1, maxLength: 64, description: 'who holds the token: written in audit lines' }),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  agentId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'role agent: the one agent it acts as' })),
  department: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'role department: its lines only' })),
  canSeeCallerNumbers: Type.Optional(Type.Boolean({ description: 'role supervisor: callers\' numbers in full' })),
};
const strict = { additionalProperties: false } as const;

export const TokenEntry = Type.Union([
  // 16 characters at least: a token is a secret, not a password someone types.
  Type.Object({ token: Type.String({ minLength: 16, maxLength: 512 }), ...Common }, strict),
  Type.Object({ sha256: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }), ...Common }, strict),
]);
export type TokenEntry = Readonly<Static<typeof TokenEntry>>;
export const TokensFile = Type.Array(TokenEntry);

export interface AccessSettings {
  /** unset: no tokens file; the server generates one admin token at start */
  readonly tokensFile?: string;
}

export class AccessConfigError extends Error {
  readonly code = 'HOTLINE_ERR_ACCESS_CONFIG';
}

export function accessSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): AccessSettings {
  const file = env.HOTLINE_TOKENS_FILE;
  return Object.freeze(file === undefined || file === '' ? {} : { tokensFile: file });
}

/** Rules the schema cannot say: what each role needs bound to it. */
function roleProblems(entry: TokenEntry, index: number): string[] {
  const at = `[${index}] (${entry.name})`;
  const problems: string[] = [];
  if (entry.role === 'agent' && entry.agentId === undefined) problems.push(`${at}: role agent needs agentId`);
  if (entry.role === 'department' && entry.department === undefined) problems.push(`${at}: role department needs department`);
  if (entry.role !== 'agent' && entry.agentId !== undefined) problems.push(`${at}: agentId is only for role agent`);
  if (entry.role !== 'department' && entry.department !== undefined) problems.push(`${at}: department is only for role department`);
  if (entry.canSeeCallerNumbers !== undefined && entry.role !== 'supervisor') {
    problems.push(`${at}: canSeeCallerNumbers is only for role supervisor (admin always sees them, others never)`);
  }
  return problems;
}

/** Validates parsed file content; throws AccessConfigError listing every problem at once. */
export function parseTokens(content: unknown, source = 'tokens'): readonly TokenEntry[] {
  const schemaErrors = [...Value.Errors(TokensFile, content)];
  if (schemaErrors.length > 0) {
    // Never echo values: the file holds secrets.
    const lines = [...new Set(schemaErrors.map((e) => `${e.path || '/'}: ${e.message}`))];
    throw new AccessConfigError(`${source}: ${lines.join('; ')}`);
  }
  const entries = content as TokenEntry[];
  const problems = entries.flatMap(roleProblems);
  const names = entries.map((e) => e.name);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length > 0) problems.push(`duplicate names (audit lines would be ambiguous): ${[...new Set(dupes)].join(', ')}`);
  if (problems.length > 0) throw new AccessConfigError(`${source}: ${problems.join('; ')}`);
  return Object.freeze(entries.map((e) => Object.freeze({ ...e })));
}

export async function loadTokensFile(path: string): Promise<readonly TokenEntry[]> {
  const content = await readSecretsFile('HOTLINE_TOKENS_FILE', path, (message) => new AccessConfigError(message));
  return parseTokens(content, path);
}

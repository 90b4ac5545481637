/**
 * Access control for the HTTP API. `accessControl()` builds the plugin from the settings and
 * the registry; the other exports are what route files need to declare access and to shape
 * their answers (masked numbers, a department's lines only).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, type Registry as PromRegistry } from 'prom-client';
import type { Registry } from '../../../config/schema.js';
import type { Logger } from '../../../lib/logger.js';
import { AccessConfigError, loadTokensFile, type AccessSettings, type TokenEntry } from '../../../settings/access.js';
import { accessPlugin, type AuditSink, type AuthCounters } from './access-plugin.js';
import { FailedAuthLimiter, type FailedAuthLimits } from './failed-auth-limiter.js';
import { TokenStore } from './token-store.js';

export { callerNumberFor, lineFilterFor, principalOf, visibleLinesFor } from './request-access.js';
export { ADMIN_ONLY, REPORT_ACCESS, STATS_ACCESS, type Principal, type Role, type RouteAccess } from './types.js';
export { sha256 } from './token-store.js';
export type { AuditSink } from './access-plugin.js';
export { departmentScopeOf, mergeLineKpis, reportFor, snapshotFor, type DepartmentScope } from './stats-scope.js';

export interface AccessControl {
  /** register before the route plugins */
  readonly plugin: (app: FastifyInstance) => Promise<void>;
  /** only when no tokens file is configured: log it once at start so a developer can use the API */
  readonly generatedAdminToken?: string;
  readonly tokenCount: number;
  /**
   * Reads the tokens file again and, when it is valid, puts its tokens in force for the next
   * request (a revoked token stops working at once). A bad file changes nothing: the error says why.
   * Without a tokens file there is nothing to reload.
   */
  reloadTokens(): Promise<{ readonly tokens: number } | { readonly unchanged: 'no tokens file' }>;
  /** hotline_auth_refusals_total{reason}, hotline_auth_lockouts_total */
  registerMetrics(registry: PromRegistry): void;
}

export interface AccessControlDeps {
  readonly registry: Registry;
  readonly logger: Logger;
  readonly publicPaths?: readonly string[];
  readonly audit?: AuditSink;
  /** Failed authentications per source address before a lockout; absent = none. */
  readonly lockout?: FailedAuthLimits;
}

/** Tokens bound to things the registry does not have are typos that would lock someone out. */
function checkAgainstRegistry(entries: readonly TokenEntry[], registry: Registry): void {
  const agents = new Set(registry.agents.map((a) => a.id));
  const departments = new Set(registry.lines.flatMap((l) => (l.department === undefined ? [] : [l.department])));
  const problems = entries.flatMap((e) => [
    ...(e.agentId !== undefined && !agents.has(e.agentId) ? [`${e.name}: no agent "${e.agentId}" in the registry`] : []),
    ...(e.department !== undefined && !departments.has(e.department) ? [`${e.name}: no line has department "${e.department}"`] : []),
  ]);
  if (problems.length > 0) throw new AccessConfigError(`tokens: ${problems.join('; ')}`);
}

export function accessControlFromTokens(entries: readonly TokenEntry[], deps: AccessControlDeps, tokensFile?: string): AccessControl {
  checkAgainstRegistry(entries, deps.registry);
  const linesOf = (department: string) => deps.registry.lines.filter((l) => l.department === department).map((l) => l.number);
  let tokens = new TokenStore(entries, linesOf);
  let counters: AuthCounters | undefined;
  const plugin = accessPlugin({
    tokens: { find: (token) => tokens.find(token) },
    counters: { refused: (reason) => counters?.refused(reason), lockout: () => counters?.lockout() },
    logger: deps.logger,
    ...(deps.lockout ? { limiter: new FailedAuthLimiter(deps.lockout) } : {}),
    ...(deps.publicPaths ? { publicPaths: deps.publicPaths } : {}), ...(deps.audit ? { audit: deps.audit } : {}),
  });
  return {
    plugin,
    get tokenCount() { return tokens.size; },
    async reloadTokens() {
      if (tokensFile === undefined) return { unchanged: 'no tokens file' };
      const next = await loadTokensFile(tokensFile);
      checkAgainstRegistry(next, deps.registry);
      tokens = new TokenStore(next, linesOf);
      return { tokens: tokens.size };
    },
    registerMetrics(registry) {
      const registers = [registry];
      const refusals = new Counter({ name: 'hotline_auth_refusals_total', help: 'API requests refused: a wrong token, or any token from a locked-out address', labelNames: ['reason'], registers });
      const lockouts = new Counter({ name: 'hotline_auth_lockouts_total', help: 'Source addresses locked out after too many failed authentications', registers });
      refusals.inc({ reason: 'invalid-token' }, 0);
      refusals.inc({ reason: 'locked-out' }, 0);
      counters = { refused: (reason) => refusals.inc({ reason }), lockout: () => lockouts.inc() };
    },
  };
}

/**
 * From HOTLINE_TOKENS_FILE, or — when none is configured — one random admin token made now,
 * returned so the composition root can log it once. Never a fixed default.
 */
export async function accessControl(deps: AccessControlDeps & { readonly settings: AccessSettings }): Promise<AccessControl> {
  if (deps.settings.tokensFile !== undefined) {
    return accessControlFromTokens(await loadTokensFile(deps.settings.tokensFile), deps, deps.settings.tokensFile);
  }
  const generatedAdminToken = randomBytes(32).toString('base64url');
  const built = accessControlFromTokens([{ token: generatedAdminToken, role: 'admin', name: 'generated-admin' }], deps);
  return { ...built, generatedAdminToken };
}

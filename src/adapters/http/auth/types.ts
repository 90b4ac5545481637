/**
 * What a route declares about who may call it, and who the caller turned out to be. Routes say
 * it in their options (`config: { access: { roles: [...] } }`); a route that says nothing is
 * admin-only, so forgetting the declaration closes a route rather than opening it.
 */
import type { Role } from '../../../settings/access.js';

export type { Role } from '../../../settings/access.js';

export interface RouteAccess {
  /** `public`: no token needed (health, the board's static files); otherwise the roles allowed */
  readonly roles: readonly Role[] | 'public';
  /**
   * agent-self: an `agent` token passes only when the route's `:id` is its own agent.
   * department: a `department` token passes, and the handler filters to its lines.
   */
  readonly scope?: 'agent-self' | 'department';
  /**
   * Also accept `?token=` (GET only): EventSource cannot set headers, and the board page is
   * opened by URL. The token then appears in the address and may reach proxy logs; the board
   * moves it to sessionStorage at once.
   */
  readonly queryToken?: boolean;
}

/**
 * An access for live stats routes: the wall board's supervisors, and departments (the handler
 * passes the snapshot through `snapshotFor`), with `?token=` for EventSource, which cannot send
 * headers. (routes/stats.ts declares its own, to the same effect, `?token=` on the stream only.)
 */
export const STATS_ACCESS: RouteAccess = Object.freeze({ roles: Object.freeze(['admin', 'supervisor', 'department'] as const), scope: 'department', queryToken: true });

/** The daily report (GET /api/reports/daily): as the stats, through `reportFor`, header token only. */
export const REPORT_ACCESS: RouteAccess = Object.freeze({ roles: Object.freeze(['admin', 'supervisor', 'department'] as const), scope: 'department' });

/** The default for a route without access metadata: fail closed. */
export const ADMIN_ONLY: RouteAccess = Object.freeze({ roles: Object.freeze(['admin'] as const) });

export interface Principal {
  /** the token's name from the tokens file: the actor in audit lines */
  readonly name: string;
  readonly role: Role;
  readonly agentId?: string;
  readonly department?: string;
  /** role department: the line numbers whose `department` is this one (from the registry) */
  readonly lines?: readonly string[];
  readonly canSeeCallerNumbers: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** set by the access plugin once the token is accepted; null on public routes or without the plugin */
    principal: Principal | null;
  }
}

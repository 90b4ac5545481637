/**
 * The access decision, apart from fastify so it can be read (and tested) as one table:
 * no token or an unknown one → 401; a role the route does not list → 403; an agent outside
 * its own `:id` → 403; a department token on a route that does not promise to filter by
 * department → 403 (a department must never see another department's calls by omission).
 */
import type { Principal, RouteAccess } from './types.js';

export type Decision =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

const ALLOW: Decision = { ok: true };

export function decide(access: RouteAccess, principal: Principal | undefined, tokenPresented: boolean, params: unknown): Decision {
  if (access.roles === 'public') return ALLOW;
  if (principal === undefined) {
    return { ok: false, status: 401, reason: tokenPresented ? 'unknown token' : 'no token' };
  }
  if (!access.roles.includes(principal.role)) {
    return { ok: false, status: 403, reason: `role ${principal.role} not allowed` };
  }
  if (principal.role === 'agent' && access.scope === 'agent-self') {
    const id = (params as { id?: unknown } | undefined)?.id;
    if (id !== principal.agentId) return { ok: false, status: 403, reason: 'agent token used for another agent' };
  }
  if (principal.role === 'department' && access.scope !== 'department') {
    return { ok: false, status: 403, reason: 'route is not department-scoped' };
  }
  return ALLOW;
}

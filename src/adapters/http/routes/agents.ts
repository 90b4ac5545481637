/**
 * The agent desk over HTTP: log in, ready, not ready (with a reason), log out, and the agents'
 * states. Refusals keep fastify's error body shape with a stable `code`:
 *   404 HOTLINE_ERR_UNKNOWN_AGENT, 409 HOTLINE_ERR_AGENT_STATE (+ `state`, the current status),
 *   503 HOTLINE_ERR_STORE_UNAVAILABLE (the shared Redis state is unreachable; retry),
 *   400 FST_ERR_VALIDATION from the schemas.
 * Access: the list is for admins and supervisors; one agent's state and operations also for
 * that agent's own token (agent-self), never for another agent's.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AgentOperationError, PAUSE_REASONS, type AgentView, type PauseReason } from '../../../app/acd/acd-model.js';
import type { RouteAccess } from '../auth/index.js';

export interface AgentDeskApi {
  login(agentId: string): Promise<AgentView>;
  ready(agentId: string): Promise<AgentView>;
  notReady(agentId: string, reason: PauseReason): Promise<AgentView>;
  logout(agentId: string): Promise<AgentView>;
  agents(): Promise<AgentView[]>;
  agent(agentId: string): Promise<AgentView>;
}

interface AgentParams { id: string }

const listAccess: RouteAccess = { roles: ['admin', 'supervisor'] };
const selfAccess: RouteAccess = { roles: ['admin', 'supervisor', 'agent'], scope: 'agent-self' };
const list = { config: { access: listAccess } };
const self = { config: { access: selfAccess } };

/** The registry's agent id pattern: anything else is a malformed request, not an unknown agent. */
const params = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' } },
} as const;

const notReadyBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: { type: 'string', enum: [...PAUSE_REASONS] } },
} as const;

/** An agent operation's refusal as fastify would have written it; anything else goes on to fastify. */
export async function replyWith<T>(reply: FastifyReply, op: () => Promise<T>): Promise<FastifyReply> {
  try {
    return await reply.send(await op());
  } catch (err) {
    if (!(err instanceof AgentOperationError)) throw err;
    const unknown = err.code === 'HOTLINE_ERR_UNKNOWN_AGENT';
    const away = err.code === 'HOTLINE_ERR_STORE_UNAVAILABLE';
    const statusCode = unknown ? 404 : away ? 503 : 409;
    return reply.code(statusCode).send({
      statusCode, code: err.code, error: unknown ? 'Not Found' : away ? 'Service Unavailable' : 'Conflict', message: err.message,
      ...(err.state === undefined ? {} : { state: err.state }),
    });
  }
}

export function agentRoutes(desk: AgentDeskApi) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/agents', list, async (_req, reply) => replyWith(reply, async () => ({ agents: await desk.agents() })));

    app.get<{ Params: AgentParams }>('/api/agents/:id', { ...self, schema: { params } },
      async (req, reply) => replyWith(reply, () => desk.agent(req.params.id)));

    app.post<{ Params: AgentParams }>('/api/agents/:id/login', { ...self, schema: { params } },
      async (req, reply) => replyWith(reply, () => desk.login(req.params.id)));

    app.post<{ Params: AgentParams }>('/api/agents/:id/ready', { ...self, schema: { params } },
      async (req, reply) => replyWith(reply, () => desk.ready(req.params.id)));

    app.post<{ Params: AgentParams; Body: { reason: PauseReason } }>('/api/agents/:id/not-ready', { ...self, schema: { params, body: notReadyBody } },
      async (req, reply) => replyWith(reply, () => desk.notReady(req.params.id, req.body.reason)));

    app.post<{ Params: AgentParams }>('/api/agents/:id/logout', { ...self, schema: { params } },
      async (req, reply) => replyWith(reply, () => desk.logout(req.params.id)));
  };
}

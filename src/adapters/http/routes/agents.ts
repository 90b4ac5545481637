/**
 * The agent desk over HTTP: log in, ready, not ready (with a reason), log out, and the agents'
 * states. The desk's refusals (AgentOperationError) reach the client through the app's error
 * contract (errors/): 404 HOTLINE_ERR_UNKNOWN_AGENT, 409 HOTLINE_ERR_AGENT_STATE (+ `state`, the
 * current status), 503 HOTLINE_ERR_STORE_UNAVAILABLE (the shared Redis state is unreachable;
 * retry), 400 FST_ERR_VALIDATION from the schemas.
 * Access: the list is for admins and supervisors; one agent's state and operations also for
 * that agent's own token (agent-self), never for another agent's.
 */
import type { FastifyInstance } from 'fastify';
import { PAUSE_REASONS, type AgentView, type PauseReason } from '../../../app/acd/acd-model.js';
import type { RouteAccess } from '../auth/index.js';
import { openObject } from '../schemas.js';

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

const agentView = openObject({
  id: { type: 'string' }, name: { type: 'string' }, dial: { type: 'string' },
  queues: { type: 'array', items: { type: 'string' } },
  status: { type: 'string', description: 'logged-out, ready, not-ready, reserved, ringing, on-call, wrap-up' },
  reason: { type: 'string', description: 'not-ready only' },
  callId: { type: 'string' }, queueId: { type: 'string' },
  wrapUpUntil: { type: 'number', description: 'wrap-up only: epoch ms it ends' },
  since: { type: 'number', description: 'epoch ms the current status began' },
}, ['id', 'name', 'dial', 'queues', 'status', 'since']);
const one = { 200: agentView };
const all = { 200: openObject({ agents: { type: 'array', items: agentView } }, ['agents']) };

export function agentRoutes(desk: AgentDeskApi) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/agents', { ...list, schema: { response: all } }, async () => ({ agents: await desk.agents() }));

    app.get<{ Params: AgentParams }>('/api/agents/:id', { ...self, schema: { params, response: one } },
      async (req) => desk.agent(req.params.id));

    app.post<{ Params: AgentParams }>('/api/agents/:id/login', { ...self, schema: { params, response: one } },
      async (req) => desk.login(req.params.id));

    app.post<{ Params: AgentParams }>('/api/agents/:id/ready', { ...self, schema: { params, response: one } },
      async (req) => desk.ready(req.params.id));

    app.post<{ Params: AgentParams; Body: { reason: PauseReason } }>('/api/agents/:id/not-ready', { ...self, schema: { params, body: notReadyBody, response: one } },
      async (req) => desk.notReady(req.params.id, req.body.reason));

    app.post<{ Params: AgentParams }>('/api/agents/:id/logout', { ...self, schema: { params, response: one } },
      async (req) => desk.logout(req.params.id));
  };
}

/**
 * Three-party transfers over HTTP (README: Transfers):
 *   POST /api/calls/:callSid/transfer {target}   start a consult (transferTargets id or sub-center line number)
 *   POST /api/calls/:callSid/transfer/three-way | /complete | /cancel
 *   GET  /api/calls/:callSid/transfer            the call's transfer and its legs
 *   GET  /api/transfer-targets                   every target, open or closed now and why
 * Refusals keep fastify's error body with a stable code: 404 HOTLINE_ERR_UNKNOWN_CALL /
 * HOTLINE_ERR_UNKNOWN_TARGET, 409 HOTLINE_ERR_TRANSFER_LIMIT / HOTLINE_ERR_TARGET_CLOSED (message:
 * the schedule's reason) / HOTLINE_ERR_TRANSFER_STATE / HOTLINE_ERR_CALL_STATE, 502
 * HOTLINE_ERR_TRANSFER_FAILED (FreeSWITCH refused a step), 503 HOTLINE_ERR_CALL_OWNER_GONE /
 * HOTLINE_ERR_CALL_OWNER_UNREACHABLE (the node holding the call is dead / did not answer) /
 * HOTLINE_ERR_STORE_UNAVAILABLE, 400 FST_ERR_VALIDATION.
 * Any node answers for any call: `api` forwards to the node holding it (app/transfer/any-node.ts).
 * Access: admins, supervisors and agents; an agent token only on calls it is talking to.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TransferError, type TransferErrorCode, type TransferView } from '../../../app/transfer/index.js';
import type { TargetView } from '../../../core/transfer/index.js';
import { principalOf, type RouteAccess } from '../auth/index.js';

export interface TransferApi {
  targets(): TargetView[];
  view(callSid: string): Promise<TransferView>;
  agentOf(callSid: string): Promise<string | undefined>;
  start(callSid: string, target: string): Promise<TransferView>;
  threeWay(callSid: string): Promise<TransferView>;
  complete(callSid: string): Promise<TransferView>;
  cancel(callSid: string): Promise<TransferView>;
}

interface CallParams { callSid: string }
interface StartBody { target: string }

const access: RouteAccess = { roles: ['admin', 'supervisor', 'agent'] };
const config = { config: { access } };

const params = {
  type: 'object', required: ['callSid'], additionalProperties: false,
  properties: { callSid: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,128}$' } },
} as const;
const startBody = {
  type: 'object', required: ['target'], additionalProperties: false,
  properties: { target: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
} as const;

const STATUS: Readonly<Record<TransferErrorCode, [number, string]>> = {
  HOTLINE_ERR_UNKNOWN_CALL: [404, 'Not Found'],
  HOTLINE_ERR_UNKNOWN_TARGET: [404, 'Not Found'],
  HOTLINE_ERR_TRANSFER_LIMIT: [409, 'Conflict'],
  HOTLINE_ERR_TARGET_CLOSED: [409, 'Conflict'],
  HOTLINE_ERR_TRANSFER_STATE: [409, 'Conflict'],
  HOTLINE_ERR_CALL_STATE: [409, 'Conflict'],
  HOTLINE_ERR_TRANSFER_FAILED: [502, 'Bad Gateway'],
  HOTLINE_ERR_STORE_UNAVAILABLE: [503, 'Service Unavailable'],
  HOTLINE_ERR_CALL_OWNER_GONE: [503, 'Service Unavailable'],
  HOTLINE_ERR_CALL_OWNER_UNREACHABLE: [503, 'Service Unavailable'],
};

async function replyWith(request: FastifyRequest<{ Params: CallParams }>, reply: FastifyReply, api: TransferApi, op: () => Promise<TransferView>): Promise<FastifyReply> {
  const p = principalOf(request);
  try {
    if (p?.role === 'agent') {
      const owner = await api.agentOf(request.params.callSid);
      if (owner !== undefined && owner !== p.agentId) {
        return await reply.code(403).send({ statusCode: 403, code: 'HOTLINE_ERR_FORBIDDEN', error: 'Forbidden', message: 'an agent may transfer only its own calls' });
      }
    }
    return await reply.send(await op());
  } catch (err) {
    if (!(err instanceof TransferError)) throw err;
    const [statusCode, error] = STATUS[err.code];
    return reply.code(statusCode).send({ statusCode, code: err.code, error, message: err.message });
  }
}

export function transferRoutes(api: TransferApi) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/transfer-targets', config, async (_req, reply) => reply.send({ targets: api.targets() }));

    app.get<{ Params: CallParams }>('/api/calls/:callSid/transfer', { ...config, schema: { params } },
      async (req, reply) => replyWith(req, reply, api, () => api.view(req.params.callSid)));

    app.post<{ Params: CallParams; Body: StartBody }>('/api/calls/:callSid/transfer', { ...config, schema: { params, body: startBody } },
      async (req, reply) => replyWith(req, reply, api, () => api.start(req.params.callSid, req.body.target)));

    app.post<{ Params: CallParams }>('/api/calls/:callSid/transfer/three-way', { ...config, schema: { params } },
      async (req, reply) => replyWith(req, reply, api, () => api.threeWay(req.params.callSid)));

    app.post<{ Params: CallParams }>('/api/calls/:callSid/transfer/complete', { ...config, schema: { params } },
      async (req, reply) => replyWith(req, reply, api, () => api.complete(req.params.callSid)));

    app.post<{ Params: CallParams }>('/api/calls/:callSid/transfer/cancel', { ...config, schema: { params } },
      async (req, reply) => replyWith(req, reply, api, () => api.cancel(req.params.callSid)));
  };
}

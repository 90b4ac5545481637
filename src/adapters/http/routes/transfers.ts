/**
 * Three-party transfers over HTTP (README: Transfers):
 *   POST /api/calls/:callSid/transfer {target}   start a consult (transferTargets id or sub-center line number)
 *   POST /api/calls/:callSid/transfer/three-way | /complete | /cancel
 *   GET  /api/calls/:callSid/transfer            the call's transfer and its legs
 *   GET  /api/transfer-targets                   every target, open or closed now and why
 * Refusals (TransferError) reach the client through the app's error contract (errors/): 404 HOTLINE_ERR_UNKNOWN_CALL /
 * HOTLINE_ERR_UNKNOWN_TARGET, 409 HOTLINE_ERR_TRANSFER_LIMIT / HOTLINE_ERR_TARGET_CLOSED (message:
 * the schedule's reason) / HOTLINE_ERR_TRANSFER_STATE / HOTLINE_ERR_CALL_STATE, 502
 * HOTLINE_ERR_TRANSFER_FAILED (FreeSWITCH refused a step), 503 HOTLINE_ERR_CALL_OWNER_GONE /
 * HOTLINE_ERR_CALL_OWNER_UNREACHABLE (the node holding the call is dead / did not answer) /
 * HOTLINE_ERR_STORE_UNAVAILABLE, 400 FST_ERR_VALIDATION.
 * Any node answers for any call: `api` forwards to the node holding it (app/transfer/any-node.ts).
 * Access: admins, supervisors and agents; an agent token only on calls it is talking to.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TransferView } from '../../../app/transfer/index.js';
import type { TargetView } from '../../../core/transfer/index.js';
import { principalOf, type RouteAccess } from '../auth/index.js';
import { HttpError } from '../errors/index.js';
import { anyObject, openObject } from '../schemas.js';

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

const transferView = { 200: openObject({
  callSid: { type: 'string' }, phase: { type: 'string' }, current: anyObject, legs: { type: 'array', items: anyObject },
}, ['callSid', 'phase', 'legs']) };
const targets = { 200: openObject({
  targets: {
    type: 'array',
    items: openObject({
      id: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, number: { type: 'string' }, open: { type: 'boolean' }, why: { type: 'string' },
    }, ['id', 'kind', 'name', 'number', 'open', 'why']),
  },
}, ['targets']) };

/** An agent token acts only on the call it is talking to; then the operation. */
async function asAllowed(request: FastifyRequest<{ Params: CallParams }>, api: TransferApi, op: () => Promise<TransferView>): Promise<TransferView> {
  const p = principalOf(request);
  if (p?.role === 'agent') {
    const owner = await api.agentOf(request.params.callSid);
    if (owner !== undefined && owner !== p.agentId) throw new HttpError(403, 'HOTLINE_ERR_FORBIDDEN', 'an agent may transfer only its own calls');
  }
  return op();
}

/** Without the inbound ESL connection: the same routes, each answering 503 HOTLINE_ERR_TRANSFERS_UNAVAILABLE. */
export function transfersUnavailable(): TransferApi {
  const refuse = (): never => {
    throw new HttpError(503, 'HOTLINE_ERR_TRANSFERS_UNAVAILABLE', 'transfers need the inbound ESL connection to FreeSWITCH (set ESL_PASSWORD)');
  };
  return { targets: refuse, view: refuse, agentOf: refuse, start: refuse, threeWay: refuse, complete: refuse, cancel: refuse };
}

export function transferRoutes(api: TransferApi) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/transfer-targets', { ...config, schema: { response: targets } }, () => ({ targets: api.targets() }));

    app.get<{ Params: CallParams }>('/api/calls/:callSid/transfer', { ...config, schema: { params, response: transferView } },
      async (req) => asAllowed(req, api, () => api.view(req.params.callSid)));

    app.post<{ Params: CallParams; Body: StartBody }>('/api/calls/:callSid/transfer', { ...config, schema: { params, body: startBody, response: transferView } },
      async (req) => asAllowed(req, api, () => api.start(req.params.callSid, req.body.target)));

    app.post<{ Params: CallParams }>('/api/calls/:callSid/transfer/three-way', { ...config, schema: { params, response: transferView } },
      async (req) => asAllowed(req, api, () => api.threeWay(req.params.callSid)));

    app.post<{ Params: CallParams }>('/api/calls/:callSid/transfer/complete', { ...config, schema: { params, response: transferView } },
      async (req) => asAllowed(req, api, () => api.complete(req.params.callSid)));

    app.post<{ Params: CallParams }>('/api/calls/:callSid/transfer/cancel', { ...config, schema: { params, response: transferView } },
      async (req) => asAllowed(req, api, () => api.cancel(req.params.callSid)));
  };
}

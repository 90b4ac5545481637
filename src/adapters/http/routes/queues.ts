/**
 * What supervisors watch: each queue (waiting, oldest wait, agents by state, open) and every
 * waiting caller (line, queue, position, waited seconds). Callers' numbers leave the process
 * masked (GB/T 33358: callers' details are confidential) unless the token may see them; a
 * department token sees only the callers of its own lines.
 */
import type { FastifyInstance } from 'fastify';
import type { QueueView, WaitingCallView } from '../../../app/acd/acd-model.js';
import { callerNumberFor, lineFilterFor, type RouteAccess } from '../auth/index.js';
import { nullableNumber, nullableString, openObject } from '../schemas.js';

export interface QueueBoardApi {
  queues(): Promise<QueueView[]>;
  waitingCalls(): Promise<WaitingCallView[]>;
}

/** Queue counts carry no personal data: agents see them on their desktops too. */
const queuesAccess: RouteAccess = { roles: ['admin', 'supervisor', 'agent'] };
const waitingAccess: RouteAccess = { roles: ['admin', 'supervisor', 'department'], scope: 'department' };

const queueView = openObject({
  id: { type: 'string' }, name: { type: 'string' }, open: { type: 'boolean' }, overflow: { type: 'string' },
  waiting: { type: 'integer' }, oldestWaitSeconds: nullableNumber, agents: { type: 'object', additionalProperties: { type: 'integer' } },
}, ['id', 'name', 'open', 'waiting', 'oldestWaitSeconds', 'agents']);
const waitingCall = openObject({
  callId: { type: 'string' }, queueId: { type: 'string' }, line: nullableString,
  caller: { ...nullableString, description: 'masked unless the token may see it' },
  position: { type: 'integer' }, priority: { type: 'number' }, waitedSeconds: { type: 'number' }, overflowedFrom: { type: 'string' },
}, ['callId', 'queueId', 'line', 'caller', 'position', 'priority', 'waitedSeconds']);

export function queueRoutes(board: QueueBoardApi) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/queues', { config: { access: queuesAccess }, schema: { response: { 200: openObject({ queues: { type: 'array', items: queueView } }, ['queues']) } } }, async () => ({ queues: await board.queues() }));

    app.get('/api/calls/waiting', { config: { access: waitingAccess }, schema: { response: { 200: openObject({ calls: { type: 'array', items: waitingCall } }, ['calls']) } } }, async (req) => {
      const visible = lineFilterFor(req);
      return {
        calls: (await board.waitingCalls()).filter((c) => visible(c.line)).map((c) => ({ ...c, caller: callerNumberFor(req, c.caller) })),
      };
    });
  };
}

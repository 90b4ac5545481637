/**
 * What supervisors watch: each queue (waiting, oldest wait, agents by state, open) and every
 * waiting caller (line, queue, position, waited seconds). Callers' numbers leave the process
 * masked (GB/T 33358: callers' details are confidential); unmasked access comes with roles, a
 * later issue, as does authentication for these routes.
 */
import type { FastifyInstance } from 'fastify';
import type { QueueView, WaitingCallView } from '../../../app/acd/acd-model.js';
import { maskNumber } from '../../../lib/mask.js';

export interface QueueBoardApi {
  queues(): Promise<QueueView[]>;
  waitingCalls(): Promise<WaitingCallView[]>;
}

export function queueRoutes(board: QueueBoardApi) {
  // eslint-disable-next-line @typescript-eslint/require-await -- fastify plugins are async
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/queues', async () => ({ queues: await board.queues() }));

    app.get('/api/calls/waiting', async () => ({
      calls: (await board.waitingCalls()).map((c) => ({ ...c, caller: c.caller === null ? null : maskNumber(c.caller) })),
    }));
  };
}

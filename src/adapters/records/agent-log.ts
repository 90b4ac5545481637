/** The agent state log: append (idempotent on id) and a window read that starts each agent in a known state. */
import type { Selectable } from 'kysely';
import type { AgentStateEvent } from '../../app/records/records-db.js';
import { chunks } from './chunks.js';
import type { AgentStateLogTable } from './tables.js';
import type { RecordsKysely } from './write-tx.js';

const ROWS_PER_INSERT = 1_000;

export async function appendAgentEvents(db: RecordsKysely, events: readonly AgentStateEvent[]): Promise<void> {
  for (const part of chunks(events, ROWS_PER_INSERT)) {
    await db.insertInto('agent_state_log')
      .values(part.map((e) => ({
        id: e.id, agent_id: e.agentId, at: e.at, status: e.status,
        reason: e.reason ?? null, call_id: e.callId ?? null, node: e.node,
      })))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

export async function agentEvents(db: RecordsKysely, from: number, to: number, agentId?: string): Promise<readonly AgentStateEvent[]> {
  let before = db.selectFrom('agent_state_log as a').selectAll('a')
    .where('a.at', '<', from)
    // the agent's last event before `from`: none later than it (at, then insertion order)
    .where((eb) => eb.not(eb.exists(
      eb.selectFrom('agent_state_log as b').select('b.id')
        .whereRef('b.agent_id', '=', 'a.agent_id')
        .where('b.at', '<', from)
        .where((b) => b.or([b('b.at', '>', b.ref('a.at')), b.and([b('b.at', '=', b.ref('a.at')), b('b.seq', '>', b.ref('a.seq'))])])),
    )));
  let within = db.selectFrom('agent_state_log').selectAll().where('at', '>=', from).where('at', '<', to);
  if (agentId !== undefined) {
    before = before.where('a.agent_id', '=', agentId);
    within = within.where('agent_id', '=', agentId);
  }
  const [start, rest] = await Promise.all([
    before.orderBy('a.at').orderBy('a.seq').execute(),
    within.orderBy('at').orderBy('seq').execute(),
  ]);
  return [...start, ...rest].map(toEvent);
}

function toEvent(r: Selectable<AgentStateLogTable>): AgentStateEvent {
  return {
    id: r.id,
    agentId: r.agent_id,
    at: r.at,
    status: r.status as AgentStateEvent['status'],
    ...(r.reason !== null ? { reason: r.reason } : {}),
    ...(r.call_id !== null ? { callId: r.call_id } : {}),
    node: r.node,
  };
}

/**
 * The store's Lua scripts: each is one atomic step (Redis runs a script with nothing
 * interleaved), which is what makes a store method atomic across router nodes.
 * Registered with ioredis `defineCommand` (EVALSHA, falling back to EVAL on NOSCRIPT).
 *
 * Conventions: ARGV[1] is always the deployment prefix `{name}:` (for index keys derived from
 * an agent's queues, which only the script knows); replies are arrays of strings or integers,
 * never nil inside an array; optional entry fields come back as '+value' / '-'.
 * Agent rows are AGENT_ROW, entry rows ENTRY_ROW (codec.ts).
 */
import { ORDER_HEAD_WIDTH } from './codec.js';
import { PART } from './keys.js';

export const PRELUDE = `
local P = ARGV[1]
local AGENT = {'id', 'skills', 'queues', 'state', 'since', 'idle', 'v'}
local function agent_row(key)
  return redis.call('HMGET', key, unpack(AGENT))
end
local function append(dst, src)
  for _, v in ipairs(src) do dst[#dst + 1] = v end
  return dst
end
local function bump(v)
  return string.format('%d', tonumber(v) + 1)
end
local function index_ready(id, queues_json, on, score)
  for _, q in ipairs(cjson.decode(queues_json)) do
    if on then redis.call('ZADD', P .. '${PART.ready}' .. q, score, id)
    else redis.call('ZREM', P .. '${PART.ready}' .. q, id) end
  end
end
-- one read of a waiting entry: its ENTRY_ROW (r[1] false when not waiting) and its order key
local function entry_read(ckey)
  local r = redis.call('HMGET', ckey, 'call', 'queue', 'priority', 'seniority', 'seq', 'enq', 'line', 'from', 'owner', 'caller', 'member')
  local member = r[11]
  r[11] = nil
  for i = 7, 10 do
    if r[i] then r[i] = '+' .. r[i] else r[i] = '-' end
  end
  return r, member
end
local function call_key(member)
  return P .. '${PART.call}' .. string.sub(member, ${ORDER_HEAD_WIDTH + 1})
end
-- The queues set only ever grows (by queue ids, a registry-sized set): no ZCARD per removal.
-- A caller held by a node leaves that node's owned set with it.
local function unqueue(qkey, ckey, member)
  local o = redis.call('HMGET', ckey, 'owner', 'call')
  if o[1] then redis.call('SREM', P .. '${PART.owned}' .. o[1], o[2]) end
  redis.call('ZREM', qkey, member)
  redis.call('DEL', ckey)
end
-- reserved|ringing -> ready without a call: idleSince kept (the agent did no work)
local function release(akey, res_key, id, queues_json, idle, v, now)
  redis.call('HSET', akey, 'status', 'ready', 'state', '{"status":"ready"}', 'since', now, 'call', '', 'v', bump(v))
  if idle == '' then idle = now end
  index_ready(id, queues_json, true, idle)
  redis.call('ZREM', res_key, id)
end
`;

export interface ScriptDef {
  readonly name: string;
  readonly keys: number;
  readonly lua: string;
}

const def = (name: string, keys: number, body: string): ScriptDef => ({ name: `hotlineAcd_${name}`, keys, lua: PRELUDE + body });

export const SCRIPTS = {
  /** KEYS agent, agents · ARGV P, id, skillsJSON, queuesJSON, now, loggedOutStateJSON
   *  New agent: logged out at v0. Known agent: profile replaced, state kept, v+1, indexes moved;
   *  the same profile again changes nothing (v kept). */
  upsertAgent: def('upsertAgent', 2, `
local old = redis.call('HMGET', KEYS[1], 'queues', 'status', 'idle', 'v', 'skills')
local id = ARGV[2]
local status, idle = 'logged-out', ''
-- Unchanged: the version is a fencing token held by assignments in flight; a resync must not void them.
if old[1] and old[1] == ARGV[4] and old[5] == ARGV[3] then return agent_row(KEYS[1]) end
if old[1] then
  for _, q in ipairs(cjson.decode(old[1])) do
    redis.call('SREM', P .. '${PART.members}' .. q, id)
    redis.call('ZREM', P .. '${PART.ready}' .. q, id)
  end
  status, idle = old[2], old[3]
  redis.call('HSET', KEYS[1], 'skills', ARGV[3], 'queues', ARGV[4], 'v', bump(old[4]))
else
  redis.call('HSET', KEYS[1], 'id', id, 'skills', ARGV[3], 'queues', ARGV[4], 'status', 'logged-out',
    'state', ARGV[6], 'since', ARGV[5], 'idle', '', 'call', '', 'v', 0)
  redis.call('ZADD', KEYS[2], 0, id)
end
for _, q in ipairs(cjson.decode(ARGV[4])) do
  redis.call('SADD', P .. '${PART.members}' .. q, id)
end
if status == 'ready' then index_ready(id, ARGV[4], true, idle ~= '' and idle or ARGV[5]) end
return agent_row(KEYS[1])`),

  /** KEYS agent, call, queue, reservations · ARGV P, expectedVersion, queueId, callId, reservedStateJSON, now, reservedUntil, by|''
   *  Version matches AND the caller waits in queueId AND the agent is ready → agent reserved
   *  (v+1, out of the ready index, into reservations) and the caller out of the queue, at once.
   *  Failure reasons are checked in the memory store's order; a failure changes nothing.
   *  The reply ends with Redis's TIME in µs (the order reservations really happened in). */
  reserve: def('reserve', 4, `
local a = redis.call('HMGET', KEYS[1], 'id', 'skills', 'queues', 'state', 'since', 'idle', 'v', 'status')
if not a[1] then return {'unknown-agent'} end
if a[7] ~= ARGV[2] then return {'agent-changed'} end
local entry, member = entry_read(KEYS[2])
if entry[2] ~= ARGV[3] then return {'caller-gone'} end
if a[8] ~= 'ready' then return {'agent-unavailable'} end
unqueue(KEYS[3], KEYS[2], member)
local v = bump(a[7])
-- The caller's node rings the agent: if it dies, the reap releases the agent by this field.
local owner = entry[9] ~= '-' and string.sub(entry[9], 2) or ''
-- And the node that reserved: if it is reaped before the owner rings, the reap frees the agent.
redis.call('HSET', KEYS[1], 'status', 'reserved', 'state', ARGV[5], 'since', ARGV[6], 'call', ARGV[4], 'v', v, 'owner', owner, 'by', ARGV[8])
index_ready(a[1], a[3], false)
redis.call('ZADD', KEYS[4], ARGV[7], a[1])
-- The store's own clock (µs), last: reservations from every node ordered as Redis ran them.
local t = redis.call('TIME')
local out = append({'ok', a[1], a[2], a[3], ARGV[5], ARGV[6], a[6], v}, entry)
out[#out + 1] = t[1] .. string.format('%06d', tonumber(t[2]))
return out`),

  /** KEYS agent, reservations · ARGV P, callId, now, expectedVersion|''
   *  Reserved or ringing for callId (at expectedVersion if given) → ready with idleSince kept;
   *  1 if released, 0 otherwise. */
  release: def('release', 2, `
local a = redis.call('HMGET', KEYS[1], 'status', 'call', 'queues', 'id', 'idle', 'v')
if not a[1] then return 0 end
if (a[1] ~= 'reserved' and a[1] ~= 'ringing') or a[2] ~= ARGV[2] then return 0 end
if ARGV[4] ~= '' and a[6] ~= ARGV[4] then return 0 end
release(KEYS[1], KEYS[2], a[4], a[3], a[5], a[6], ARGV[3])
return 1`),

  /** KEYS agent, reservations · ARGV P, expectedVersion, status, stateJSON, since, idle, callId, reservedUntil
   *  Compare-and-set of a state computed by the pure transition in TypeScript: written only if
   *  the version is still the one it was computed from. Keeps the ready and reservation indexes. */
  writeState: def('writeState', 2, `
local a = redis.call('HMGET', KEYS[1], 'v', 'status', 'queues', 'id')
if not a[1] then return {'unknown-agent'} end
if a[1] ~= ARGV[2] then return {'version-conflict', a[1]} end
redis.call('HSET', KEYS[1], 'status', ARGV[3], 'state', ARGV[4], 'since', ARGV[5], 'idle', ARGV[6], 'call', ARGV[7], 'v', bump(a[1]))
local was, is = a[2] == 'ready', ARGV[3] == 'ready'
if was ~= is then index_ready(a[4], a[3], is, ARGV[6] ~= '' and ARGV[6] or ARGV[5]) end
if ARGV[8] == '' then redis.call('ZREM', KEYS[2], a[4]) else redis.call('ZADD', KEYS[2], ARGV[8], a[4]) end
return {'ok'}`),

  /** KEYS reservations · ARGV P, now, limit
   *  Releases up to `limit` reservations with reservedUntil <= now; returns their agent rows. */
  expire: def('expire', 1, `
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))) do
  local akey = P .. '${PART.agent}' .. id
  local a = redis.call('HMGET', akey, 'status', 'queues', 'idle', 'v')
  if a[1] == 'reserved' or a[1] == 'ringing' then
    release(akey, KEYS[1], id, a[2], a[3], a[4], ARGV[2])
    append(out, agent_row(akey))
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`),

  /** KEYS agents-or-ready-index (a ZSET of agent ids) · ARGV P — their agent rows, in index order. */
  agentRows: def('agentRows', 1, `
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do append(out, agent_row(P .. '${PART.agent}' .. id)) end
return out`),

  /** KEYS members:<queue> · ARGV P — flat [status, count, …] over the agents serving the queue. */
  counts: def('counts', 1, `
local n, out = {}, {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local s = redis.call('HGET', P .. '${PART.agent}' .. id, 'status')
  if s then n[s] = (n[s] or 0) + 1 end
end
for s, c in pairs(n) do out[#out + 1] = s; out[#out + 1] = c end
return out`),

  /** KEYS call, queue, seq, queues · ARGV P, queueId, callId, priority, seniority, seq|'', enqueuedAt, line±, from±, orderHead, owner±, caller±
   *  Rejects a call already waiting anywhere ({'already-queued', queue}); else {'ok', seq}.
   *  A brought-back seq pushes the counter ahead of it, so fresh seqs stay larger. */
  enqueue: def('enqueue', 4, `
local q = redis.call('HGET', KEYS[1], 'queue')
if q then return {'already-queued', q} end
local seq = ARGV[6]
if seq == '' then
  seq = string.format('%d', redis.call('INCR', KEYS[3]))
elseif tonumber(seq) > tonumber(redis.call('GET', KEYS[3]) or '0') then
  redis.call('SET', KEYS[3], seq)
end
local member = ARGV[10] .. string.rep('0', 16 - #seq) .. seq .. ARGV[3]
redis.call('HSET', KEYS[1], 'call', ARGV[3], 'queue', ARGV[2], 'member', member, 'priority', ARGV[4],
  'seniority', ARGV[5], 'seq', seq, 'enq', ARGV[7])
if ARGV[8] ~= '-' then redis.call('HSET', KEYS[1], 'line', string.sub(ARGV[8], 2)) end
if ARGV[9] ~= '-' then redis.call('HSET', KEYS[1], 'from', string.sub(ARGV[9], 2)) end
if ARGV[12] ~= '-' then redis.call('HSET', KEYS[1], 'caller', string.sub(ARGV[12], 2)) end
if ARGV[11] ~= '-' then
  local owner = string.sub(ARGV[11], 2)
  redis.call('HSET', KEYS[1], 'owner', owner)
  redis.call('SADD', P .. '${PART.owned}' .. owner, ARGV[3])
  redis.call('SADD', P .. '${PART.nodes}', owner)
end
redis.call('ZADD', KEYS[2], 0, member)
redis.call('SADD', KEYS[4], ARGV[2])
return {'ok', seq}`),

  /** KEYS queue · ARGV P, take ('1' dequeue | '0' peek) — head entry row or {}. */
  head: def('head', 1, `
local m = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if not m then return {} end
local ckey = call_key(m)
local row = entry_read(ckey)
if ARGV[2] == '1' then unqueue(KEYS[1], ckey, m) end
return row`),

  /** KEYS call, queue · ARGV P, queueId — the entry row if it waited in queueId (now removed), else {}. */
  remove: def('remove', 2, `
local row, member = entry_read(KEYS[1])
if row[2] ~= ARGV[2] then return {} end
unqueue(KEYS[2], KEYS[1], member)
return row`),

  /** KEYS call, fromQueue, toQueue, queues · ARGV P, fromId, toId, now
   *  Same order key in the target queue (priority, seniority and seq kept); enqueuedAt = now. */
  move: def('move', 4, `
local e = redis.call('HMGET', KEYS[1], 'queue', 'member')
if e[1] ~= ARGV[2] then return {} end
redis.call('ZREM', KEYS[2], e[2])
redis.call('ZADD', KEYS[3], 0, e[2])
redis.call('SADD', KEYS[4], ARGV[3])
redis.call('HSET', KEYS[1], 'queue', ARGV[3], 'enq', ARGV[4], 'from', ARGV[2])
return (entry_read(KEYS[1]))`),

  /** KEYS call, queue · ARGV P, queueId — 1-based position via ZRANK, or -1 when not waiting there. */
  position: def('position', 2, `
local e = redis.call('HMGET', KEYS[1], 'queue', 'member')
if e[1] ~= ARGV[2] then return -1 end
return redis.call('ZRANK', KEYS[2], e[2]) + 1`),

  /** KEYS queue · ARGV P — every entry row in serving order. */
  waiting: def('waiting', 1, `
local out = {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do append(out, (entry_read(call_key(m)))) end
return out`),

  /** KEYS queues · ARGV P — flat [queueId, length, …] for queues with callers. */
  lengths: def('lengths', 1, `
local out = {}
for _, q in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local n = redis.call('ZCARD', P .. '${PART.queue}' .. q)
  if n > 0 then out[#out + 1] = q; out[#out + 1] = n end
end
return out`),
} as const satisfies Record<string, ScriptDef>;

export type ScriptName = keyof typeof SCRIPTS;

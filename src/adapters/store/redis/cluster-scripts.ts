/**
 * The node registry's scripts (several router nodes on one store): heartbeats, and the reap
 * that clears up after a node whose heartbeat is gone. Same conventions as scripts.ts (ARGV[1]
 * is the deployment prefix; the helpers of its PRELUDE are in scope).
 */
import { PART } from './keys.js';
import { PRELUDE, type ScriptDef } from './scripts.js';

const def = (name: string, keys: number, body: string): ScriptDef => ({ name: `hotlineNode_${name}`, keys, lua: PRELUDE + body });

export const CLUSTER_SCRIPTS = {
  /** KEYS node:<id>, nodes · ARGV P, id, now, ttlMs — the heartbeat (a key that lives ttlMs).
   *  Returns 1 when the previous heartbeat was still there, 0 when it was gone. */
  beat: def('beat', 2, `
local alive = redis.call('EXISTS', KEYS[1])
redis.call('SET', KEYS[1], ARGV[3], 'PX', tonumber(ARGV[4]))
redis.call('SADD', KEYS[2], ARGV[2])
return alive`),

  /** KEYS node:<id> · ARGV P — a node leaving on purpose: its heartbeat goes, the next reap clears up. */
  leave: def('leave', 1, `
redis.call('DEL', KEYS[1])
return 1`),

  /** KEYS owned:<id> · ARGV P — flat [callId, queueId, …] of the node's waiting callers (stale members dropped). */
  owned: def('owned', 1, `
local out = {}
for _, call in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local q = redis.call('HGET', P .. '${PART.call}' .. call, 'queue')
  if q then out[#out + 1] = call; out[#out + 1] = q else redis.call('SREM', KEYS[1], call) end
end
return out`),

  /** KEYS nodes, reservations, reaps · ARGV P, now
   *  Every known node whose heartbeat key is gone is dead: its waiting callers leave their queues
   *  (their sockets died with it: FreeSWITCH sent them on to the dialplan's fallback), the agents
   *  reserved for its callers are released (idleSince kept), and it is forgotten. An agent whose
   *  phone still rings for one of them keeps its reservation until the ring is over (ringEndsAt,
   *  sooner than the usual grace); the expiry releases it then.
   *  A reservation made by a dead node and not yet rung is freed too (it froze before handing
   *  it over; the caller's own node re-queues its caller). Each reap that finds dead nodes moves
   *  the reaps counter, so every node knows to reconcile its callers now.
   *  Reply {deadIds, entry rows, agent rows, reaps}. Idempotent: a second reap finds nothing. */
  reap: def('reap', 3, `
local dead, isdead = {}, {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', P .. '${PART.node}' .. id) == 0 then
    dead[#dead + 1] = id
    isdead[id] = true
  end
end
if #dead == 0 then return {{}, {}, {}, tonumber(redis.call('GET', KEYS[3]) or '0')} end
local reaps = redis.call('INCR', KEYS[3])
local removed = {}
for _, id in ipairs(dead) do
  local okey = P .. '${PART.owned}' .. id
  for _, call in ipairs(redis.call('SMEMBERS', okey)) do
    local ckey = P .. '${PART.call}' .. call
    local row, member = entry_read(ckey)
    if row[1] then
      redis.call('ZREM', P .. '${PART.queue}' .. row[2], member)
      redis.call('DEL', ckey)
      append(removed, row)
    end
  end
  redis.call('DEL', okey)
  redis.call('SREM', KEYS[1], id)
end
local released = {}
local now = tonumber(ARGV[2])
for _, aid in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local akey = P .. '${PART.agent}' .. aid
  local a = redis.call('HMGET', akey, 'status', 'queues', 'idle', 'v', 'owner', 'state', 'by')
  if a[1] == 'reserved' and a[7] and isdead[a[7]] and not (a[5] and isdead[a[5]]) then
    release(akey, KEYS[2], aid, a[2], a[3], a[4], ARGV[2])
    append(released, agent_row(akey))
  elseif (a[1] == 'reserved' or a[1] == 'ringing') and a[5] and isdead[a[5]] then
    local ends = a[1] == 'ringing' and tonumber(string.match(a[6], '"ringEndsAt":(%d+)')) or nil
    if ends and ends > now then
      -- The phone still rings (a node paused, not dead, may yet bridge it): the agent is not
      -- offered another caller before the ring is over; the expiry sweep frees it then.
      local st = string.gsub(a[6], '"reservedUntil":%d+', '"reservedUntil":' .. string.format('%d', ends))
      redis.call('HSET', akey, 'state', st)
      redis.call('ZADD', KEYS[2], ends, aid)
    else
      release(akey, KEYS[2], aid, a[2], a[3], a[4], ARGV[2])
      append(released, agent_row(akey))
    end
  end
end
return {dead, removed, released, reaps}`),
} as const satisfies Record<string, ScriptDef>;

export type ClusterScriptName = keyof typeof CLUSTER_SCRIPTS;

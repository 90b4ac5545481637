/**
 * The node registry's scripts (several router nodes on one store): heartbeats, and the reap
 * that clears up after a node whose heartbeat is gone. Same conventions as scripts.ts (ARGV[1]
 * is the deployment prefix; the helpers of its PRELUDE are in scope).
 *
 * A heartbeat is a deadline on the registry's own clock (REGISTRY_CLOCK), not a key with a TTL:
 * Redis expires keys by its wall clock, so a store that was stopped (SIGSTOP, a VM paused, a
 * host that did not schedule it) for longer than the TTL would find every heartbeat expired when
 * it runs again, and the first reap would remove every live node. The registry's clock does not
 * run while nobody could beat.
 */
import { PART } from './keys.js';
import { PRELUDE, type ScriptDef } from './scripts.js';

/**
 * Lua: the registry's clock, in ms. Redis's TIME, less every gap in the registry's traffic past
 * `grace` (the beat period): every live node beats each period, so a longer silence means the
 * store (or every node) was not running, and a heartbeat must not expire in time nobody could
 * beat in. A node that died keeps its deadline: it is reaped once the clock has run its TTL,
 * at most TTL after the store runs again. A wall clock that steps back stops the clock, never
 * turns it back. `write`: the caller is registry traffic (a beat, a reap), the gap ends here.
 */
export const REGISTRY_CLOCK = `
local function registry_now(ckey, write, grace)
  local t = redis.call('TIME')
  local wall = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local c = redis.call('HMGET', ckey, 'at', 'skew', 'grace')
  local at, skew = tonumber(c[1]), tonumber(c[2]) or 0
  grace = grace or tonumber(c[3]) or 0
  if at then
    local gap = wall - at
    skew = skew + gap - math.max(0, math.min(gap, grace))
  end
  if write then
    redis.call('HSET', ckey, 'at', string.format('%d', wall), 'skew', string.format('%d', skew), 'grace', string.format('%d', grace))
  end
  return wall - skew
end
-- The node's heartbeat is there: its deadline not yet passed on the registry's clock.
local function node_alive(id, beats, clock)
  local deadline = tonumber(redis.call('HGET', beats or P .. '${PART.beats}', id))
  return deadline ~= nil and deadline > registry_now(clock or P .. '${PART.clock}', false)
end
`;

const def = (name: string, keys: number, body: string): ScriptDef => ({ name: `hotlineNode_${name}`, keys, lua: PRELUDE + REGISTRY_CLOCK + body });

export const CLUSTER_SCRIPTS = {
  /** KEYS beats, nodes, clock · ARGV P, id, ttlMs, beatMs — the heartbeat: alive until ttlMs from
   *  now on the registry's clock. Returns 1 when the node still had a heartbeat (it was not reaped,
   *  and the store did not lose it), 0 when it had none. */
  beat: def('beat', 3, `
local now = registry_now(KEYS[3], true, tonumber(ARGV[4]))
local had = redis.call('HEXISTS', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[1], ARGV[2], string.format('%d', now + tonumber(ARGV[3])))
redis.call('SADD', KEYS[2], ARGV[2])
return had`),

  /** KEYS beats · ARGV P, id — a node leaving on purpose: its heartbeat goes, the next reap clears up. */
  leave: def('leave', 1, `
redis.call('HDEL', KEYS[1], ARGV[2])
return 1`),

  /** KEYS beats, clock · ARGV P, id — 1 while the node's heartbeat is there. */
  alive: def('alive', 2, `
if node_alive(ARGV[2], KEYS[1], KEYS[2]) then return 1 end
return 0`),

  /** KEYS owned:<id> · ARGV P — flat [callId, queueId, …] of the node's waiting callers (stale members dropped). */
  owned: def('owned', 1, `
local out = {}
for _, call in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local q = redis.call('HGET', P .. '${PART.call}' .. call, 'queue')
  if q then out[#out + 1] = call; out[#out + 1] = q else redis.call('SREM', KEYS[1], call) end
end
return out`),

  /** KEYS nodes, reservations, reaps, beats, clock · ARGV P, now, beatMs (optional)
   *  Every known node whose heartbeat is gone (past its deadline on the registry's clock) is
   *  dead: its waiting callers leave their queues (their sockets died with it: FreeSWITCH sent
   *  them on to the dialplan's fallback), the agents reserved for its callers are released
   *  (idleSince kept), and it is forgotten. An agent whose phone still rings for one of them
   *  keeps its reservation until the ring is over (ringEndsAt, sooner than the usual grace); the
   *  expiry releases it then.
   *  A reservation made by a dead node and not yet rung is freed too (it froze before handing
   *  it over; the caller's own node re-queues its caller). Each reap that finds dead nodes moves
   *  the reaps counter, so every node knows to reconcile its callers now.
   *  Reply {deadIds, entry rows, agent rows, reaps}. Idempotent: a second reap finds nothing. */
  reap: def('reap', 5, `
local clock = registry_now(KEYS[5], true, tonumber(ARGV[3]))
local dead, isdead = {}, {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local deadline = tonumber(redis.call('HGET', KEYS[4], id))
  if deadline == nil or deadline <= clock then
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
  redis.call('HDEL', KEYS[4], id)
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

/**
 * Live calls and the transfer history in Redis (app/cluster/live-calls.ts), for several router
 * nodes. A live call is a hash with the channels it owns indexed beside it; whether its owner is
 * alive is its heartbeat (cluster-scripts.ts, node_alive), read in the same script. The
 * hand-over claim is one SET NX, so two nodes completing a transfer of one caller at once cannot
 * both win.
 */
import type { Redis } from 'ioredis';
import {
  LIVE_CALL_TTL_MS, TRANSFER_HISTORY_TTL_MS, type LiveCall, type LiveCallDirectory, type LiveCallView, type TransferHistory,
} from '../../../app/cluster/live-calls.js';
import { CorruptRowError } from './codec.js';
import { PART, RedisKeys } from './keys.js';
import { REGISTRY_CLOCK } from './cluster-scripts.js';
import { PRELUDE, type ScriptDef } from './scripts.js';
import { ScriptRunner } from './script-runner.js';

const def = (name: string, keys: number, body: string): ScriptDef => ({ name: `hotlineLive_${name}`, keys, lua: PRELUDE + REGISTRY_CLOCK + body });

const LIVE_SCRIPTS = {
  /** KEYS live, leg:<caller>, leg:<agent> (live again without an agent leg) · ARGV P, node, callerUuid, agentUuid, agentId, ttlMs, callSid, freeswitch */
  put: def('put', 3, `
redis.call('HSET', KEYS[1], 'node', ARGV[2], 'caller', ARGV[3], 'agentUuid', ARGV[4], 'agentId', ARGV[5], 'fs', ARGV[8])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
local sid = ARGV[7]
redis.call('SET', KEYS[2], sid, 'PX', tonumber(ARGV[6]))
if ARGV[4] ~= '' then redis.call('SET', KEYS[3], sid, 'PX', tonumber(ARGV[6])) end
return 1`),

  /** KEYS live · ARGV P — [node, caller, agentUuid, agentId, ownerAlive, freeswitch] or nil */
  get: def('get', 1, `
local r = redis.call('HMGET', KEYS[1], 'node', 'caller', 'agentUuid', 'agentId', 'fs')
if not r[1] then return nil end
local alive = node_alive(r[1]) and 1 or 0
return {r[1], r[2] or '', r[3] or '', r[4] or '', alive, r[5] or ''}`),

  /** KEYS live · ARGV P, callSid — the record and its channel index entries (only those still pointing at it) */
  remove: def('remove', 1, `
local r = redis.call('HMGET', KEYS[1], 'caller', 'agentUuid')
local sid = ARGV[2]
for _, uuid in ipairs({r[1], r[2]}) do
  if uuid and uuid ~= '' and redis.call('GET', P .. '${PART.leg}' .. uuid) == sid then redis.call('DEL', P .. '${PART.leg}' .. uuid) end
end
redis.call('DEL', KEYS[1])
return 1`),

  /** KEYS handover · ARGV P, callSid, target, ttlMs — 1 when claimed now or already by this call */
  claim: def('claim', 1, `
if redis.call('SET', KEYS[1], ARGV[2] .. ' ' .. ARGV[3], 'NX', 'PX', tonumber(ARGV[4])) then return 1 end
local prior = redis.call('GET', KEYS[1])
if prior and string.sub(prior, 1, string.len(ARGV[2]) + 1) == ARGV[2] .. ' ' then return 1 end
return 0`),
} as const satisfies Record<string, ScriptDef>;

type LiveScript = keyof typeof LIVE_SCRIPTS;

export class RedisLiveCalls implements LiveCallDirectory, TransferHistory {
  private readonly keys: RedisKeys;
  private readonly scripts: ScriptRunner<LiveScript>;

  constructor(redis: Redis, deployment?: string, private readonly ttlMs = LIVE_CALL_TTL_MS) {
    this.keys = new RedisKeys(deployment);
    this.scripts = new ScriptRunner<LiveScript>(redis, LIVE_SCRIPTS);
  }

  async put(call: LiveCall): Promise<void> {
    const agentUuid = call.agentUuid ?? '';
    await this.scripts.run('put', [this.keys.live(call.callSid), this.keys.leg(call.callerUuid), agentUuid === '' ? this.keys.live(call.callSid) : this.keys.leg(agentUuid)],
      [this.keys.prefix, call.node, call.callerUuid, agentUuid, call.agentId ?? '', String(this.ttlMs), call.callSid, call.freeswitch ?? '']);
  }

  async get(callSid: string): Promise<LiveCallView | undefined> {
    const r = await this.scripts.run('get', [this.keys.live(callSid)], [this.keys.prefix]);
    if (r === null) return undefined;
    if (!Array.isArray(r) || r.length !== 6) throw new CorruptRowError(`live:${callSid}`);
    const [node, caller, agentUuid, agentId, alive, fs] = r as [string, string, string, string, number, string];
    return {
      callSid, node, callerUuid: caller, agentUuid: agentUuid === '' ? undefined : agentUuid,
      agentId: agentId === '' ? undefined : agentId, ownerAlive: alive === 1, freeswitch: fs === '' ? undefined : fs,
    };
  }

  async byLeg(uuid: string): Promise<string | undefined> {
    const sid = await this.scripts.call('leg', (r) => r.get(this.keys.leg(uuid)));
    return sid ?? undefined;
  }

  async remove(callSid: string): Promise<void> {
    await this.scripts.run('remove', [this.keys.live(callSid)], [this.keys.prefix, callSid]);
  }

  async handedTo(callerUuid: string): Promise<string | undefined> {
    const v = await this.scripts.call('handedTo', (r) => r.get(this.keys.handover(callerUuid)));
    if (v === null) return undefined;
    const space = v.indexOf(' ');
    return space < 0 ? v : v.slice(space + 1);
  }

  async claim(callerUuid: string, callSid: string, target: string): Promise<boolean> {
    const r = await this.scripts.run('claim', [this.keys.handover(callerUuid)], [this.keys.prefix, callSid, target, String(TRANSFER_HISTORY_TTL_MS)]);
    return r === 1;
  }
}

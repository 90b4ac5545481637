/**
 * Agents' registrations in Redis, shared by every edge process of the deployment: per agent a
 * ZSET of contacts scored by expiry and a HASH of their other fields, both expiring with the
 * last binding. Each change is one script, so two edges refreshing one phone at once cannot
 * leave the two keys disagreeing.
 */
import type { Redis } from 'ioredis';
import type { AgentBinding, AgentRegistrations } from '../../../app/edge/registrations.js';
import { MAX_CONTACTS } from '../../../core/edge/index.js';
import { CorruptRowError } from './codec.js';
import { RedisKeys } from './keys.js';
import type { ScriptDef } from './scripts.js';
import { ScriptRunner } from './script-runner.js';

const def = (name: string, keys: number, lua: string): ScriptDef => ({ name: `hotlineReg_${name}`, keys, lua });

const PURGE = `
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, c in ipairs(gone) do redis.call('HDEL', KEYS[2], c) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
`;

const REG_SCRIPTS = {
  /** KEYS reg, regd · ARGV now, contact, expiresAt, data, max */
  bind: def('bind', 2, `${PURGE}
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
if over > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[1], over)
  for i = 1, #popped, 2 do redis.call('HDEL', KEYS[2], popped[i]) end
end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
-- Relative to the caller's clock (the bindings' own), not Redis's.
local ttl = string.format('%d', math.max(1, math.floor(tonumber(last[2]) - tonumber(ARGV[1]))))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1`),

  /** KEYS reg, regd · ARGV now — flat [contact, expiresAt, data, …], soonest expiry first */
  list: def('list', 2, `${PURGE}
local rows = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #rows, 2 do
  out[#out + 1] = rows[i]
  out[#out + 1] = rows[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], rows[i]) or '{}'
end
return out`),

  /** KEYS reg, regd · ARGV contact */
  unbind: def('unbind', 2, `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`),
} as const satisfies Record<string, ScriptDef>;

type RegScript = keyof typeof REG_SCRIPTS;

function sourceOf(data: string): string {
  try {
    const parsed: unknown = JSON.parse(data);
    const source = typeof parsed === 'object' && parsed !== null ? (parsed as { source?: unknown }).source : undefined;
    return typeof source === 'string' ? source : '';
  } catch {
    return '';
  }
}

export class RedisRegistrations implements AgentRegistrations {
  private readonly keys: RedisKeys;
  private readonly scripts: ScriptRunner<RegScript>;

  constructor(redis: Redis, deployment?: string) {
    this.keys = new RedisKeys(deployment);
    this.scripts = new ScriptRunner<RegScript>(redis, REG_SCRIPTS);
  }

  private pair(agentId: string): string[] {
    return [this.keys.reg(agentId), this.keys.regData(agentId)];
  }

  async bind(agentId: string, binding: AgentBinding, now: number): Promise<void> {
    await this.scripts.run('bind', this.pair(agentId), [
      String(Math.floor(now)), binding.contact, String(Math.floor(binding.expiresAt)), JSON.stringify({ source: binding.source }), String(MAX_CONTACTS),
    ]);
  }

  async unbind(agentId: string, contact: string): Promise<void> {
    await this.scripts.run('unbind', this.pair(agentId), [contact]);
  }

  async unbindAll(agentId: string): Promise<void> {
    await this.scripts.call('unbindAll', (r) => r.del(...this.pair(agentId)));
  }

  async bindings(agentId: string, now: number): Promise<readonly AgentBinding[]> {
    const rows = await this.scripts.run('list', this.pair(agentId), [String(Math.floor(now))]);
    if (!Array.isArray(rows) || rows.length % 3 !== 0) throw new CorruptRowError(`reg:${agentId}`);
    const out: AgentBinding[] = [];
    for (let i = 0; i < rows.length; i += 3) {
      const [contact, score, data] = rows.slice(i, i + 3) as [string, string, string];
      out.push({ contact, expiresAt: Number(score), source: sourceOf(data) });
    }
    return out;
  }
}

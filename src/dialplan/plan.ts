/**
 * What the dialplan must contain, derived from the registry before any XML is written:
 * one entry per dialable number and the agents the router-down fallback rings.
 */
import { EMERGENCY_NUMBERS, type Prompt, type Registry } from '../config/schema.js';

export type DialplanMode = 'hotline' | 'merged' | 'dual' | 'subcenter';

export interface NumberEntry {
  readonly number: string;
  readonly mode: DialplanMode;
  readonly name: string;
  readonly department?: string;
}

export interface FallbackPlan {
  /** Dial strings of the agents serving the 7×24 pool queue, rung together first. */
  readonly pool: readonly string[];
  /** Every other agent's dial string, rung together if the pool does not answer. */
  readonly others: readonly string[];
}

const emergency: ReadonlySet<string> = new Set(EMERGENCY_NUMBERS);

/**
 * 12345 first, then the legacy lines in registry order. Emergency numbers never get an
 * extension (the carrier routes them to the emergency centres); the registry check already
 * refuses them as lines, this is the second lock.
 */
export function numberEntries(registry: Registry): NumberEntry[] {
  const entries: NumberEntry[] = [{ number: registry.hotline.number, mode: 'hotline', name: `${registry.hotline.region}${registry.hotline.number}` }];
  for (const line of registry.lines) {
    entries.push({ number: line.number, mode: line.mode, name: line.name, ...(line.department ? { department: line.department } : {}) });
  }
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (emergency.has(e.number) || seen.has(e.number)) return false;
    if (!/^[0-9]+$/.test(e.number)) throw new Error(`number "${e.number}" is not digits only`);
    seen.add(e.number);
    return true;
  });
}

function unique(dials: readonly string[]): string[] {
  return [...new Set(dials)];
}

export function fallbackPlan(registry: Registry): FallbackPlan {
  const poolQueue = registry.hotline.poolQueue;
  const pool = unique(registry.agents.filter((a) => a.queues.includes(poolQueue)).map((a) => a.dial));
  const inPool = new Set(pool);
  const others = unique(registry.agents.map((a) => a.dial)).filter((d) => !inPool.has(d));
  return { pool, others };
}

/**
 * Where FreeSWITCH finds a prompt: a `file` prompt as the operator wrote it (a path or a URL
 * such as local_stream://moh); a `text` prompt as the WAV `hotline prompts` renders, under
 * promptsDir on the FreeSWITCH host.
 */
export function promptLocation(prompt: Prompt | undefined, id: string, promptsDir: string): string | undefined {
  if (prompt === undefined) return undefined;
  return 'file' in prompt ? prompt.file : `${promptsDir}/${id}.wav`;
}

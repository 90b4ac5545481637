/**
 * What changed between two registries, by kind and id: for the reload's audit line, its API
 * answer and its log. Pure: ids in, ids out (an entry "changed" when its content differs).
 */
import type { Registry } from '../../config/schema.js';

/** Equality of JSON-shaped values (the registry is parsed YAML: no dates, maps or cycles). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export interface IdChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export interface RegistryChanges {
  readonly lines: IdChanges;
  readonly queues: IdChanges;
  readonly agents: IdChanges;
  readonly schedules: IdChanges;
  readonly calendars: IdChanges;
  readonly prompts: IdChanges;
  /**
   * Sections that changed but are only read at start (the hotline block, transfer targets,
   * departments and their webhooks, retention): they take effect at the next restart.
   */
  readonly needsRestart: readonly string[];
}

function byId<T>(entries: Iterable<readonly [string, T]>): Map<string, T> {
  return new Map(entries);
}

function compare<T>(before: Map<string, T>, after: Map<string, T>): IdChanges {
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.keys()].filter((id) => before.has(id) && !sameValue(before.get(id), after.get(id)));
  return { added, removed, changed };
}

const RESTART_SECTIONS = ['hotline', 'transferTargets', 'departments', 'retention'] as const;

export function diffRegistries(before: Registry, after: Registry): RegistryChanges {
  const record = <T>(r: Readonly<Record<string, T>> | undefined) => byId(Object.entries(r ?? {}));
  return {
    lines: compare(byId(before.lines.map((l) => [l.number, l] as const)), byId(after.lines.map((l) => [l.number, l] as const))),
    queues: compare(record(before.queues), record(after.queues)),
    agents: compare(byId(before.agents.map((a) => [a.id, a] as const)), byId(after.agents.map((a) => [a.id, a] as const))),
    schedules: compare(record(before.schedules), record(after.schedules)),
    calendars: compare(record(before.calendars), record(after.calendars)),
    prompts: compare(record(before.prompts), record(after.prompts)),
    needsRestart: RESTART_SECTIONS.filter((s) => !sameValue(before[s], after[s])),
  };
}

/** "lines +1 ~0 -0, queues …" for a log line; kinds without changes are left out. */
export function changeCounts(changes: RegistryChanges): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kind of ['lines', 'queues', 'agents', 'schedules', 'calendars', 'prompts'] as const) {
    const c = changes[kind];
    if (c.added.length + c.removed.length + c.changed.length > 0) out[kind] = `+${c.added.length} ~${c.changed.length} -${c.removed.length}`;
  }
  return out;
}

export function isUnchanged(changes: RegistryChanges): boolean {
  return Object.keys(changeCounts(changes)).length === 0 && changes.needsRestart.length === 0;
}

/**
 * What the semantic checks look at: the entries that passed structural validation.
 *
 * Semantic checks run even when some entries are malformed, so an engineer sees every problem
 * in one pass. Malformed entries are left out (their shape cannot be trusted), but their ids are
 * still "declared", so a reference to a queue with a typo inside it is not also called undefined.
 */
import type { Agent, Calendar, Department, FreeswitchNode, Line, Prompt, Queue, Registry, Retention, Schedule, TransferTarget, Trunk } from './schema.js';
import type { PathSegments } from './problem.js';

export interface Indexed<T> {
  /** Position in the file's list, for paths like `lines[3]`. */
  readonly index: number;
  readonly value: T;
}

export interface SemanticInput {
  readonly hotline: Registry['hotline'];
  readonly schedules: ReadonlyMap<string, Schedule>;
  readonly calendars: ReadonlyMap<string, Calendar>;
  readonly queues: ReadonlyMap<string, Queue>;
  readonly prompts: ReadonlyMap<string, Prompt>;
  readonly lines: readonly Indexed<Line>[];
  readonly agents: readonly Indexed<Agent>[];
  readonly transferTargets: readonly Indexed<TransferTarget>[];
  readonly trunks: readonly Indexed<Trunk>[];
  readonly nodes: readonly Indexed<FreeswitchNode>[];
  readonly departments: ReadonlyMap<string, Department>;
  /** undefined when absent or malformed */
  readonly retention: Retention | undefined;
  /** Every id written in the file, valid entry or not. */
  readonly declared: {
    readonly schedules: readonly string[];
    readonly calendars: readonly string[];
    readonly queues: readonly string[];
    readonly prompts: readonly string[];
  };
}

const RECORDS = ['schedules', 'calendars', 'queues', 'prompts', 'departments'] as const;
const LISTS = ['lines', 'agents', 'transferTargets', 'trunks', 'nodes'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Builds the input from data that went through structural validation (defaults applied),
 * given the paths of the structural problems. Undefined when the skeleton itself is broken
 * (no hotline, a collection of the wrong kind): checks would then only report noise.
 */
export function semanticInputFrom(data: unknown, problemPaths: readonly PathSegments[]): SemanticInput | undefined {
  if (!isRecord(data)) return undefined;
  const collections: readonly string[] = [...RECORDS, ...LISTS];
  const broken = problemPaths.some((p) => p.length === 0 || p[0] === 'hotline' || (p.length === 1 && collections.includes(String(p[0]))));
  if (broken) return undefined;
  const badEntries = new Set(problemPaths.filter((p) => p.length >= 2).map((p) => `${String(p[0])}/${String(p[1])}`));
  const good = (collection: string, key: string | number) => !badEntries.has(`${collection}/${String(key)}`);

  const record = <T>(name: (typeof RECORDS)[number]) => {
    const raw = data[name];
    const entries = isRecord(raw) ? Object.entries(raw) : [];
    return {
      valid: new Map(entries.filter(([id]) => good(name, id)) as [string, T][]),
      declared: entries.map(([id]) => id),
    };
  };
  const list = <T>(name: (typeof LISTS)[number]): Indexed<T>[] => {
    const raw = data[name];
    const items = Array.isArray(raw) ? (raw as T[]) : [];
    return items.map((value, index) => ({ index, value })).filter(({ index }) => good(name, index));
  };

  const schedules = record<Schedule>('schedules');
  const calendars = record<Calendar>('calendars');
  const queues = record<Queue>('queues');
  const prompts = record<Prompt>('prompts');
  const departments = record<Department>('departments');
  const retentionBroken = problemPaths.some((p) => p[0] === 'retention');
  return {
    hotline: data['hotline'] as Registry['hotline'],
    schedules: schedules.valid,
    calendars: calendars.valid,
    queues: queues.valid,
    prompts: prompts.valid,
    lines: list<Line>('lines'),
    agents: list<Agent>('agents'),
    transferTargets: list<TransferTarget>('transferTargets'),
    trunks: list<Trunk>('trunks'),
    nodes: list<FreeswitchNode>('nodes'),
    departments: departments.valid,
    retention: retentionBroken || !isRecord(data['retention']) ? undefined : data['retention'],
    declared: { schedules: schedules.declared, calendars: calendars.declared, queues: queues.declared, prompts: prompts.declared },
  };
}

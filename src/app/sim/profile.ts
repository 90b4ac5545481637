/**
 * What a simulation is asked to play: callers per line and hour, how long calls last, how
 * patient callers are, how many agents sit on each queue each hour, and how agents' phones
 * behave. A profile file (YAML or JSON) says it; `resolveProfile` fills in the defaults.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Distribution } from '../../core/staffing/index.js';

const PerHour = Type.Union([
  Type.Number({ minimum: 0 }),
  Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24 }),
], { description: 'one number for every hour, or 24 numbers (00:00–01:00 first)' });

const Dist = Type.Union([
  Type.Object({ dist: Type.Literal('exponential'), mean: Type.Number({ exclusiveMinimum: 0 }) }, { additionalProperties: false }),
  Type.Object({ dist: Type.Literal('lognormal'), mean: Type.Number({ exclusiveMinimum: 0 }), sd: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
  Type.Object({ dist: Type.Literal('fixed'), value: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
]);

export const ProfileFile = Type.Object({
  seed: Type.Optional(Type.Integer()),
  /** local date simulated, YYYY-MM-DD (its schedules and holidays apply) */
  date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  /** calls per hour, per dialed line number */
  arrivals: Type.Record(Type.String(), PerHour),
  /** talk time (wrap-up comes from the queue) */
  handle: Type.Optional(Dist),
  handleByQueue: Type.Optional(Type.Record(Type.String(), Dist)),
  /** how long a caller waits in the queue before hanging up; absent: never */
  patience: Type.Optional(Dist),
  /** agents logged in per queue and hour; absent: the registry's agents, all day */
  staffing: Type.Optional(Type.Record(Type.String(), PerHour)),
  agents: Type.Optional(Type.Object({
    answerSeconds: Type.Optional(Type.Number({ minimum: 0 })),
    noAnswerRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    returnSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  }, { additionalProperties: false })),
  promptSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  surveySeconds: Type.Optional(Type.Number({ minimum: 0 })),
  /** seconds a sub-center seat takes to answer; absent: sub-centers answer after 5 s */
  subcenterAnswerSeconds: Type.Optional(Type.Number({ minimum: 0 })),
}, { additionalProperties: false });
export type ProfileFile = Static<typeof ProfileFile>;

export interface SimProfile {
  readonly arrivals: Readonly<Record<string, readonly number[]>>;
  readonly handle: Distribution;
  readonly handleByQueue: Readonly<Record<string, Distribution>>;
  readonly patience: Distribution | undefined;
  /** null: the registry's own agents, logged in all day */
  readonly staffing: Readonly<Record<string, readonly number[]>> | null;
  readonly answerSeconds: number;
  readonly noAnswerRate: number;
  readonly returnSeconds: number;
  readonly promptSeconds: number;
  readonly surveySeconds: number;
  readonly subcenterAnswerSeconds: number;
}

export const DEFAULT_HANDLE: Distribution = { dist: 'lognormal', mean: 180, sd: 120 };

export class ProfileError extends Error {}

export function perHour(v: number | readonly number[]): number[] {
  return typeof v === 'number' ? Array.from({ length: 24 }, () => v) : [...v];
}

/** Checks a parsed file against the schema; every problem in one message. */
export function checkProfile(data: unknown): ProfileFile {
  const errors = [...Value.Errors(ProfileFile, data)];
  if (errors.length > 0) {
    throw new ProfileError(errors.slice(0, 8).map((e) => `${e.path || '/'}: ${e.message}`).join('; '));
  }
  return data as ProfileFile;
}

export function resolveProfile(p: ProfileFile): SimProfile {
  const mapHours = (r: Record<string, number | number[]>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, perHour(v)]));
  return {
    arrivals: mapHours(p.arrivals),
    handle: p.handle ?? DEFAULT_HANDLE,
    handleByQueue: p.handleByQueue ?? {},
    patience: p.patience,
    staffing: p.staffing === undefined ? null : mapHours(p.staffing),
    answerSeconds: p.agents?.answerSeconds ?? 3,
    noAnswerRate: p.agents?.noAnswerRate ?? 0,
    returnSeconds: p.agents?.returnSeconds ?? 30,
    promptSeconds: p.promptSeconds ?? 4,
    surveySeconds: p.surveySeconds ?? 5,
    subcenterAnswerSeconds: p.subcenterAnswerSeconds ?? 5,
  };
}

/** Calls offered in the whole day by the profile. */
export function expectedCalls(p: SimProfile): number {
  return Object.values(p.arrivals).reduce((s, hours) => s + hours.reduce((a, b) => a + b, 0), 0);
}

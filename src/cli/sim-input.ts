/**
 * What `hotline simulate` and `hotline staff` share: reading a profile file (YAML or JSON) or
 * building one from flags, the simulated date and seed, and a progress bar on a terminal.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { checkProfile, ProfileError, resolveProfile, type ProfileFile } from '../app/sim/profile.js';
import type { Registry } from '../config/schema.js';
import { formatDay, zoneOf } from '../core/schedule/index.js';
import { UsageError } from './command.js';

export const SIM_OPTIONS = {
  profile: { type: 'string' },
  rate: { type: 'string' },
  line: { type: 'string' },
  handle: { type: 'string' },
  patience: { type: 'string' },
  agents: { type: 'string' },
  seed: { type: 'string' },
  date: { type: 'string' },
  replications: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const SIM_OPTIONS_HELP = [
  '  --profile FILE     arrivals per line and hour, handle and patience distributions,',
  '                     staffing per queue and hour (YAML or JSON; see README)',
  '  --rate N           instead of a profile\'s arrivals: N calls an hour, every hour,',
  '                     on --line NUMBER (default the hotline number)',
  '  --handle S         talk time: exponential with mean S seconds (wrap-up is the queue\'s)',
  '  --patience S       callers hang up after an exponential wait of mean S seconds',
  '  --agents N         N agents on every queue, every hour (instead of the profile\'s',
  '                     staffing, or without one the registry\'s agents all day)',
  '  --seed N           random seed (default 1): the same seed gives the same day',
  '  --date YYYY-MM-DD  the local day simulated: its schedules and holidays (default today)',
  '  --replications N   independent days; figures get a 95 % confidence interval',
  '  --json             print JSON',
];

type Values = { [K in keyof typeof SIM_OPTIONS]?: (typeof SIM_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export function positiveNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} ${v}: not a non-negative number`);
  return n;
}

export function integer(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} ${v}: expected an integer ≥ ${min}`);
  return n;
}

export async function readProfile(values: Values, registry: Registry): Promise<ProfileFile> {
  let file: ProfileFile | undefined;
  if (values.profile !== undefined) {
    let data: unknown;
    try {
      data = parse(await readFile(values.profile, 'utf8'));
    } catch (err) {
      throw new UsageError(`--profile ${values.profile}: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      file = checkProfile(data);
    } catch (err) {
      if (err instanceof ProfileError) throw new UsageError(`--profile ${values.profile}: ${err.message}`);
      throw err;
    }
  }
  const rate = positiveNumber('rate', values.rate);
  if (file === undefined && rate === undefined) throw new UsageError('give a --profile FILE or a --rate N (calls an hour)');
  const handle = positiveNumber('handle', values.handle);
  const patience = positiveNumber('patience', values.patience);
  const agents = integer('agents', values.agents, 0);
  return {
    ...(file ?? { arrivals: {} }),
    ...(rate === undefined ? {} : { arrivals: { [values.line ?? registry.hotline.number]: rate } }),
    ...(handle === undefined ? {} : { handle: { dist: 'exponential', mean: handle } }),
    ...(patience === undefined ? {} : { patience: { dist: 'exponential', mean: patience } }),
    ...(agents === undefined ? {} : { staffing: Object.fromEntries(Object.keys(registry.queues).map((q) => [q, agents])) }),
  };
}

export function simDate(values: Values, profile: ProfileFile, registry: Registry): string {
  const date = values.date ?? profile.date;
  if (date !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`--date ${date}: expected YYYY-MM-DD`);
    return date;
  }
  const zone = zoneOf(registry.hotline.timeZone);
  return formatDay(Math.floor(zone.localMs(Date.now()) / 86_400_000));
}

/** A bar on stderr when it is a terminal; nothing otherwise (pipes and CI logs stay clean). */
export function progressBar(label: string): { update(fraction: number): void; done(): void } | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  let last = -1;
  const width = 30;
  return {
    update(f) {
      const pct = Math.floor(f * 100);
      if (pct === last) return;
      last = pct;
      const filled = Math.round(f * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%`);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

/** The profile with its defaults filled in; a mistake in it (or a staffed queue the registry lacks) is a usage error. */
export function resolvedProfile(file: ProfileFile, registry: Registry): ReturnType<typeof resolveProfile> {
  try {
    const profile = resolveProfile(file);
    for (const q of Object.keys(profile.staffing ?? {})) if (registry.queues[q] === undefined) throw new ProfileError(`staffing: no queue "${q}" in the registry`);
    return profile;
  } catch (err) {
    if (err instanceof ProfileError) throw new UsageError(err.message);
    throw err;
  }
}

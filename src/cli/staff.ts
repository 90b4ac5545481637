import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { MemoryAcdStore } from '../adapters/store/memory/index.js';
import { quietLogger } from '../app/sim/quiet-logger.js';
import { planStaff, type StaffPlan } from '../app/sim/staff-plan.js';
import { parseCommandArgs } from './args.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type Command } from './command.js';
import { loadOrReport, requireFile } from './registry-arg.js';
import { integer, positiveNumber, progressBar, readProfile, resolvedProfile, SIM_OPTIONS, SIM_OPTIONS_HELP, simDate } from './sim-input.js';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);

export const staffCommand: Command = {
  name: 'staff',
  summary: 'plan the fewest agents per queue and hour for the targets (Erlang, checked by simulation)',
  help: [
    'usage: hotline staff REGISTRY (--profile FILE | --rate N) [options]',
    '',
    'For every queue and hour: the fewest agents that answer serviceLevel of the calls within',
    'the queue\'s serviceLevelSeconds and answer answerRate of them (queues.*.targets in the',
    'registry; default 80 % and 95 %). First by Erlang A (Erlang C when callers never hang',
    'up), then checked on the router\'s own ACD by `hotline simulate` and corrected where an',
    'hour falls short. Prints the plan and the predicted figures. A queue others overflow',
    'into (the 7×24 pool) is held to its answer rate only: its overflowed callers have',
    'already waited their first queue\'s maxWaitSeconds, which no agent there can undo.',
    ...SIM_OPTIONS_HELP.filter((l) => !l.includes('--agents') && !l.includes('staffing, or without')),
    '  --service-level X  target share answered within T for every queue (0..1)',
    '  --answer-rate X    target answer rate for every queue (0..1)',
    '  --rounds N         simulated correction rounds (default 3; 0: Erlang only)',
    '  --write-profile F  write the profile with this plan as its staffing (for simulate)',
    '',
    'exit status: 0 every hour meets its targets, 1 invalid registry or some hour does not,',
    '2 usage error',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...SIM_OPTIONS, 'service-level': { type: 'string' }, 'answer-rate': { type: 'string' }, rounds: { type: 'string' }, 'write-profile': { type: 'string' },
    });
    const file = requireFile(positionals, 'hotline staff REGISTRY');
    const registry = await loadOrReport(file, io);
    if (!registry) return EXIT_INVALID;
    const profileFile = await readProfile(values, registry);
    const profile = resolvedProfile(profileFile, registry);
    const share = (name: string, v: string | undefined) => {
      const n = positiveNumber(name, v);
      if (n !== undefined && n > 1) throw new UsageError(`--${name} ${v}: a share between 0 and 1`);
      return n;
    };
    const serviceLevel = share('service-level', values['service-level']);
    const answerRate = share('answer-rate', values['answer-rate']);
    const date = simDate(values, profileFile, registry);
    const bar = progressBar('planning');
    const plan = await planStaff({
      registry, profile, date, seed: integer('seed', values.seed, 0) ?? profileFile.seed ?? 1,
      replications: integer('replications', values.replications, 1) ?? 2, rounds: integer('rounds', values.rounds, 0) ?? 3,
      logger: quietLogger(), newStore: () => new MemoryAcdStore(),
      targets: { ...(serviceLevel === undefined ? {} : { serviceLevel }), ...(answerRate === undefined ? {} : { answerRate }) },
      ...(bar === undefined ? {} : { onProgress: (f: number) => bar.update(f) }),
    });
    bar?.done();
    if (values['write-profile'] !== undefined) {
      const staffing = Object.fromEntries(Object.entries(plan.queues).map(([q, hs]) => [q, hs.map((h) => h.agents)]));
      await writeFile(values['write-profile'], stringify({ ...profileFile, date, staffing }), 'utf8');
    }
    const allMet = Object.values(plan.queues).every((hs) => hs.every((h) => h.met));
    if (values.json) {
      const { simulation: _s, ...rest } = plan;
      io.stdout(`${JSON.stringify({ ...rest, allMet }, null, 2)}\n`);
    } else {
      io.stdout(`${report(plan)}\n`);
      if (values['write-profile'] !== undefined) io.stdout(`profile with this staffing written to ${values['write-profile']}\n`);
    }
    return allMet ? EXIT_OK : EXIT_INVALID;
  },
};

function report(plan: StaffPlan): string {
  const busy = Object.entries(plan.queues).filter(([, hs]) => hs.some((h) => h.agents > 0 || h.offeredPerHour > 0));
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  const w = Math.max(5, ...busy.map(([q]) => q.length));
  const out = [
    `staffing plan for ${plan.date}: agents logged in per queue and hour (Erlang A, then ${plan.rounds} simulated check${plan.rounds === 1 ? '' : 's'})`,
    `${'hour'.padEnd(w)} ${hours.map((h) => h.padStart(4)).join('')}`,
    ...busy.map(([q, hs]) => `${q.padEnd(w)} ${hs.map((h) => `${h.agents}${h.met ? '' : '!'}`.padStart(4)).join('')}`),
    `${'total'.padEnd(w)} ${hours.map((_, h) => String(busy.reduce((s, [, hs]) => s + (hs[h]?.agents ?? 0), 0)).padStart(4)).join('')}`,
    '("!": the hour still misses a target in the simulation)',
    '',
    'predicted per queue (offered-weighted over the day)',
  ];
  const head = ['queue', 'targets', 'agent-hours', 'calls', 'erlang SL', 'erlang AR', 'sim SL', 'sim AR', 'sim ASA s', 'hours met'];
  const rows = busy.map(([q, hs]) => {
    const t = plan.targets[q];
    const offered = hs.reduce((s, h) => s + h.offeredPerHour, 0);
    const wmean = (f: (h: (typeof hs)[number]) => number | null) => {
      let num = 0;
      let den = 0;
      for (const h of hs) {
        const v = f(h);
        const wgt = h.simulated?.offered ?? h.offeredPerHour;
        if (v !== null && wgt > 0) { num += v * wgt; den += wgt; }
      }
      return den > 0 ? num / den : null;
    };
    return [
      q, t === undefined ? '' : `${pct(t.serviceLevel)} in ${t.serviceLevelSeconds}s, ${pct(t.answerRate)}`,
      String(hs.reduce((s, h) => s + h.agents, 0)), offered.toFixed(0),
      pct(wmean((h) => (h.offeredPerHour > 0 ? h.erlang.serviceLevel : null))), pct(wmean((h) => (h.offeredPerHour > 0 ? h.erlang.answerRate : null))),
      pct(wmean((h) => h.simulated?.serviceLevel ?? null)), pct(wmean((h) => h.simulated?.answerRate ?? null)),
      wmean((h) => h.simulated?.asa ?? null)?.toFixed(1) ?? '–',
      `${hs.filter((h) => h.met).length}/24`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  out.push(line(head), ...rows.map(line));
  return out.join('\n');
}

import { writeFile } from 'node:fs/promises';
import { hourlyChartSvg } from '../app/sim/chart-svg.js';
import { MemoryAcdStore } from '../adapters/store/memory/index.js';
import { quietLogger } from '../app/sim/quiet-logger.js';
import { simulate, type Simulation } from '../app/sim/replications.js';
import { metricsScope } from '../core/metrics/index.js';
import { parseCommandArgs } from './args.js';
import { EXIT_INVALID, EXIT_OK, type Command } from './command.js';
import { loadOrReport, requireFile } from './registry-arg.js';
import { integer, progressBar, readProfile, resolvedProfile, SIM_OPTIONS, SIM_OPTIONS_HELP, simDate } from './sim-input.js';
import { setTables, table } from './sim-table.js';

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'simulate a day of calls through the router\'s own routing, call sessions and ACD',
  help: [
    'usage: hotline simulate REGISTRY (--profile FILE | --rate N) [options]',
    '',
    'Plays a day of simulated callers and agents through the router\'s own routing table,',
    'call state machine and ACD (skills, longest idle, priorities, overflow, no-answer) on',
    'simulated time, and prints per queue, line and hour: offered, answered, abandoned,',
    'overflowed, service level, answer rate, ASA, wait p50/p90 and agent occupancy — by the',
    'same definitions as the live metrics. No switch, no timers: a day takes seconds.',
    ...SIM_OPTIONS_HELP,
    '  --hours            also print every hour',
    '  --svg FILE         write an hour-by-hour chart (SVG)',
    '',
    'exit status: 0 done, 1 invalid registry, 2 usage error',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...SIM_OPTIONS, hours: { type: 'boolean' }, svg: { type: 'string' } });
    const file = requireFile(positionals, 'hotline simulate REGISTRY');
    const registry = await loadOrReport(file, io);
    if (!registry) return EXIT_INVALID;
    const profileFile = await readProfile(values, registry);
    const profile = resolvedProfile(profileFile, registry);
    const seed = integer('seed', values.seed, 0) ?? profileFile.seed ?? 1;
    const replications = integer('replications', values.replications, 1) ?? 1;
    const date = simDate(values, profileFile, registry);
    const bar = progressBar('simulating');
    const sim = await simulate({
      registry, profile, seed, date, replications, logger: quietLogger(), newStore: () => new MemoryAcdStore(),
      ...(bar === undefined ? {} : { onProgress: (f: number) => bar.update(f) }),
    });
    bar?.done();
    if (values.svg !== undefined) {
      await writeFile(values.svg, hourlyChartSvg(`${registry.hotline.region} 12345 — simulated ${date} (seed ${seed}, ${replications}×)`, sim.hours), 'utf8');
    }
    if (values.json) {
      const { runs: _runs, ...rest } = sim;
      io.stdout(`${JSON.stringify(rest, null, 2)}\n`);
      return EXIT_OK;
    }
    io.stdout(`${report(sim, registry, values.hours === true)}\n`);
    if (values.svg !== undefined) io.stdout(`chart written to ${values.svg}\n`);
    return EXIT_OK;
  },
};

function report(sim: Simulation, registry: Parameters<typeof metricsScope>[0], hours: boolean): string {
  const scope = metricsScope(registry);
  const names = {
    queues: Object.fromEntries(scope.queues.map((q) => [q.id, q.name])),
    lines: Object.fromEntries(scope.lines.map((l) => [l.number, l.name])),
  };
  const out = [
    `simulated ${sim.date} (${registry.hotline.timeZone}), seed ${sim.seed}, ${sim.replications} replication${sim.replications > 1 ? 's' : ''}: ` +
    `${sim.calls} calls, ${sim.events} events${sim.unfinished > 0 ? `, ${sim.unfinished} calls still in progress at the cut-off` : ''}`,
    ...(sim.replications > 1 ? ['figures: mean ±half-width of the 95 % confidence interval'] : []),
    '',
    setTables(sim.day, names),
  ];
  if (hours) {
    for (const q of Object.keys(sim.day.queues)) {
      const rows = sim.hours.map((h, i) => ({ name: `${String(i).padStart(2, '0')}:00`, figures: h.queues[q] }))
        .filter((r): r is { name: string; figures: NonNullable<typeof r.figures> } => r.figures !== undefined && ((r.figures.offered?.mean ?? 0) > 0 || (r.figures.occupancy?.mean ?? 0) > 0));
      if (rows.length === 0) continue;
      out.push('', `queue ${q} by hour`, table(rows, true));
    }
  }
  return out.join('\n');
}

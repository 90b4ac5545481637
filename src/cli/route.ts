import { buildRoutingTable, route, type RouteDecision } from '../core/routing/index.js';
import { parseCommandArgs } from './args.js';
import { formatLocal, parseAt } from './at.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type Command } from './command.js';
import { loadOrReport, requireFile } from './registry-arg.js';

function headline(d: RouteDecision): string {
  switch (d.kind) {
    case 'queue':
      return `→ queue ${d.queue}  (line ${d.line.number} ${d.line.name}, ${d.line.mode}; priority ${d.priority})`;
    case 'subcenter':
      return `→ sub-center ${d.dial}  (line ${d.line.number} ${d.line.name}; ring ${d.noAnswerSeconds}s, then queue ${d.fallbackQueue})`;
    case 'reject':
      return `→ reject ${d.sipStatus}: ${d.reason}`;
  }
}

export const routeCommand: Command = {
  name: 'route',
  summary: 'dry-run: explain how a call to a number would be routed at a given time',
  help: [
    'usage: hotline route FILE --to NUMBER [--from NUMBER] [--at ISO-8601] [--json]',
    '',
    'Explains, step by step, what the router would do with a call to NUMBER.',
    '  --to N      the dialed number (12345, a legacy line, +8612345 …)',
    '  --from N    the caller\'s number (optional)',
    '  --at T      when: 2026-02-14T08:30 is read in the hotline\'s time zone;',
    '              2026-02-14T00:30Z or …+08:00 are instants. Default: now.',
    '  --json      print the decision as JSON',
    '',
    'Live queue state (agents logged in, queue length) is not known to a dry-run.',
    'exit status: 0 the call would reach a person, 1 it would be rejected, 2 usage error',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      to: { type: 'string' },
      from: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
    });
    const file = requireFile(positionals, 'hotline route FILE --to NUMBER');
    if (values.to === undefined) throw new UsageError('missing --to NUMBER');
    const registry = await loadOrReport(file, io);
    if (!registry) return EXIT_INVALID;
    const timeZone = registry.hotline.timeZone;
    const at = parseAt(values.at, timeZone, Date.now());
    const decision = route({ to: values.to, ...(values.from ? { from: values.from } : {}) }, buildRoutingTable(registry), at);
    if (values.json) {
      io.stdout(`${JSON.stringify({ to: values.to, at: formatLocal(at, timeZone), decision }, null, 2)}\n`);
    } else {
      io.stdout([
        `call to ${values.to} at ${formatLocal(at, timeZone)} (${timeZone})`,
        headline(decision),
        ...('prompts' in decision && decision.prompts.length > 0 ? [`prompts: ${decision.prompts.join(', ')}`] : []),
        'why:',
        ...decision.explanation.map((line) => `  - ${line}`),
        '',
      ].join('\n'));
    }
    return decision.kind === 'reject' ? EXIT_INVALID : EXIT_OK;
  },
};

import { loadRegistryFile } from '../config/load.js';
import { formatProblems, summarizeProblems } from '../config/problem.js';
import { parseCommandArgs } from './args.js';
import { EXIT_INVALID, EXIT_OK, type Command } from './command.js';
import { reportLoadFailure, requireFile } from './registry-arg.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate a registry file: every problem, at its line (exit 0 valid, 1 not)',
  help: [
    'usage: hotline check FILE',
    '',
    'Validates the registry FILE and reports every problem at once, each as',
    '  file:line:col  path  message',
    '      hint: …',
    'Warnings are printed but do not fail the check.',
    '',
    'exit status: 0 valid, 1 invalid, 2 usage error',
    '',
  ].join('\n'),
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    const file = requireFile(positionals, 'hotline check FILE');
    const result = await loadRegistryFile(file);
    if (!result.ok) {
      reportLoadFailure(file, result.problems, io);
      return EXIT_INVALID;
    }
    if (result.warnings.length > 0) io.stdout(`${formatProblems(result.warnings)}\n`);
    const r = result.registry;
    const edge = r.trunks === undefined && r.nodes === undefined ? '' : `, ${r.trunks?.length ?? 0} trunks, ${r.nodes?.length ?? 0} FreeSWITCH nodes`;
    io.stdout(
      `${file}: ok — hotline ${r.hotline.number} (${r.hotline.region}), ${r.lines.length} lines, ` +
      `${Object.keys(r.queues).length} queues, ${r.agents.length} agents${edge}; ${summarizeProblems(result.warnings)}\n`,
    );
    return EXIT_OK;
  },
};

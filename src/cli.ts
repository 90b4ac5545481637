/**
 * `hotline <command>`: dispatch, --help and exit codes. Each command lives in src/cli/.
 */
import { checkCommand } from './cli/check.js';
import { dialplanCommand } from './cli/dialplan.js';
import { edgeCommand } from './cli/edge.js';
import { promptsCommand } from './cli/prompts.js';
import { EXIT_USAGE, UsageError, type CliIo, type Command } from './cli/command.js';
import { routeCommand } from './cli/route.js';
import { schemaCommand } from './cli/schema.js';
import { serveCommand } from './cli/serve.js';
import { simulateCommand } from './cli/simulate.js';
import { staffCommand } from './cli/staff.js';

export const commands: readonly Command[] = [
  serveCommand, edgeCommand, checkCommand, routeCommand, schemaCommand, dialplanCommand, promptsCommand, simulateCommand, staffCommand,
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'hotline — the 12345 government service hotline router',
    '',
    'usage: hotline <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `hotline <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`hotline: unknown command "${name}"\n\n${overview()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`hotline ${command.name}: ${error.message}\n\n${command.help}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

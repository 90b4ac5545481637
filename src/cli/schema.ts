import { registryJsonSchema } from '../config/json-schema.js';
import { parseCommandArgs } from './args.js';
import { EXIT_OK, UsageError, type Command } from './command.js';

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'print the registry JSON Schema (for editor completion and validation)',
  help: [
    'usage: hotline schema',
    '',
    'Prints the JSON Schema of the registry file. Point your editor at it, e.g. with the',
    'YAML language server:  # yaml-language-server: $schema=./registry.schema.json',
    '',
  ].join('\n'),
  // eslint-disable-next-line @typescript-eslint/require-await -- the Command contract is async
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(' ')}"`);
    io.stdout(`${JSON.stringify(registryJsonSchema(), null, 2)}\n`);
    return EXIT_OK;
  },
};

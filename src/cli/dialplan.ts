import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIALPLAN_DEFAULTS, generateDialplan } from '../dialplan/index.js';
import { parseCommandArgs } from './args.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type Command } from './command.js';
import { loadOrReport, requireFile } from './registry-arg.js';

export function parseHostPort(value: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):([0-9]{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match?.[1] || !(port >= 1 && port <= 65535)) throw new UsageError(`--router "${value}" is not HOST:PORT`);
  return { host: match[1], port };
}

export const dialplanCommand: Command = {
  name: 'dialplan',
  summary: 'generate the FreeSWITCH XML dialplan (one extension per number, router-down fallback)',
  help: [
    'usage: hotline dialplan FILE [--out DIR] [--router HOST:PORT] [--prompts-dir DIR]',
    '',
    'Writes the FreeSWITCH dialplan for the registry FILE: every hotline and legacy',
    'number hands its call to the router (socket HOST:PORT async full); if the router',
    'cannot be reached the call still rings the 7×24 pool\'s agents, then everyone else.',
    '  --out DIR          where to write (default dialplans); install into conf/dialplan/',
    `  --router H:P       the router's outbound socket (default ${DIALPLAN_DEFAULTS.routerHost}:${DIALPLAN_DEFAULTS.routerPort})`,
    `  --prompts-dir DIR  where \`hotline prompts\` WAVs live on the FreeSWITCH host`,
    `                     (default ${DIALPLAN_DEFAULTS.promptsDir})`,
    '',
    'exit status: 0 written, 1 invalid registry, 2 usage error',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string' },
      router: { type: 'string' },
      'prompts-dir': { type: 'string' },
    });
    const file = requireFile(positionals, 'hotline dialplan FILE');
    const router = values.router === undefined ? undefined : parseHostPort(values.router);
    const registry = await loadOrReport(file, io);
    if (!registry) return EXIT_INVALID;
    const { files } = generateDialplan(registry, {
      ...(router ? { routerHost: router.host, routerPort: router.port } : {}),
      ...(values['prompts-dir'] !== undefined ? { promptsDir: values['prompts-dir'] } : {}),
    });
    const out = values.out ?? 'dialplans';
    await mkdir(out, { recursive: true });
    for (const f of files) {
      const path = join(out, f.name);
      await writeFile(path, f.xml, 'utf8');
      io.stdout(`wrote ${path} (${f.xml.split('\n').length - 1} lines)\n`);
    }
    return EXIT_OK;
  },
};

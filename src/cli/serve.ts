import { parseCommandArgs } from './args.js';
import { UsageError, type Command } from './command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the router (embedded default: in-memory state, one node, no Redis)',
  help: [
    'usage: hotline serve',
    '',
    'Starts the router. Settings come from the environment:',
    '  HOTLINE_REGISTRY  registry file (default config/hotline.example.yaml)',
    '  HTTP_HOST, HTTP_PORT  API / health / board (default 127.0.0.1:8080)',
    '  ESL_HOST, ESL_PORT, ESL_PASSWORD  FreeSWITCH inbound ESL (default 127.0.0.1:8021;',
    '                    without ESL_PASSWORD no FreeSWITCH node is connected)',
    '  OUTBOUND_HOST, OUTBOUND_PORT  where FreeSWITCH\'s `socket` app connects (127.0.0.1:8084)',
    '  REDIS_URL         shared state for several router nodes (default: in-memory)',
    '  HOTLINE_TOKENS_FILE  API tokens and roles (default: a random admin token per run)',
    '  PROMPTS_DIR       rendered prompts (default ./prompts); REPORTS_DIR (default data/reports)',
    '  DATABASE_URL      records in PostgreSQL, shared by every node (default: the embedded file)',
    '  RECORDS_FILE      the embedded records database (default data/records.db)',
    '  RECORDS_JOURNAL   with DATABASE_URL: records not yet stored wait here (default',
    '                    data/records-journal.jsonl; one file per node)',
    '  WORK_ORDER_URL, WORK_ORDER_SECRET  signed work orders for failed transfers',
    '  DRAIN_SECONDS     on SIGTERM, how long calls in progress may take (default 60)',
    '  HOTLINE_DEV=1     development mode (allows FreeSWITCH\'s stock ESL password)',
    '  LOG_LEVEL         pino level (default info)',
    'SIGTERM / SIGINT stop taking new calls and drain the ones in progress.',
    '',
  ].join('\n'),
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(' ')}"`);
    const { runRouter } = await import('../main.js');
    return runRouter(io);
  },
};

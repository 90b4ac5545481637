import { parseCommandArgs } from './args.js';
import { UsageError, type Command } from './command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the router (embedded default: in-memory state, one node, no Redis)',
  help: [
    'usage: hotline serve [--demo]',
    '',
    '  --demo            demo mode: a simulated switch instead of FreeSWITCH — synthetic callers',
    '                    dial the registry\'s lines and its agents answer by themselves, through',
    '                    the real call sessions, ACD, metrics and API (marked demo everywhere)',
    'Starts the router. Settings come from the environment:',
    '  HOTLINE_REGISTRY  registry file (default config/hotline.example.yaml)',
    '  HTTP_HOST, HTTP_PORT  API / health / board (default 127.0.0.1:8080)',
    '  ESL_HOST, ESL_PORT, ESL_PASSWORD  FreeSWITCH inbound ESL (default 127.0.0.1:8021;',
    '                    without ESL_PASSWORD no FreeSWITCH node is connected)',
    '  ESL_NODES=registry  an inbound ESL link to every node of the registry\'s `nodes:`',
    '                    (behind the SIP edge) instead of ESL_HOST alone (default: host)',
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
    'Load shedding: past any of these marks NEW calls are handed back to the dialplan',
    'unanswered (its fallback rings the 7x24 pool); calls in progress are never dropped.',
    '0 switches a mark off.',
    '  SHED_FREESWITCH_SESSIONS_PERCENT  FreeSWITCH sessions in use, % of its max-sessions',
    '                    (read with `status` over the inbound ESL; default 90)',
    '  SHED_CALLS_PER_SECOND  calls accepted in the last second (default auto: half',
    '                    FreeSWITCH\'s sessions-per-second, a call being two sessions)',
    '  SHED_EVENT_LOOP_DELAY_MS  the router\'s event loop delay, p99 over the last',
    '                    1-2 s (default 500), while the router used >= 75% of a core',
    '  HOTLINE_DEV=1     development mode (allows FreeSWITCH\'s stock ESL password)',
    '  LOG_LEVEL         pino level (default info)',
    'Bounds on input from outside (see README, Service settings): REGISTRY_MAX_BYTES,',
    '  REGISTRY_MAX_ALIASES, REGISTRY_MAX_DEPTH, ESL_MAX_HEADER_BYTES, ESL_MAX_BODY_BYTES,',
    '  ESL_HANDSHAKE_MAX_BYTES, HTTP_BODY_LIMIT_BYTES, SSE_MAX_CLIENTS, SSE_MAX_BACKLOG_BYTES,',
    '  WEBHOOK_MAX_RESPONSE_BYTES, AUTH_MAX_FAILURES, AUTH_LOCKOUT_SECONDS.',
    'SIGTERM / SIGINT stop taking new calls and drain the ones in progress.',
    'SIGHUP reloads HOTLINE_TOKENS_FILE (a revoked token stops working at once).',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { demo: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(' ')}"`);
    const { runRouter } = await import('../main.js');
    return runRouter(io, { demo: values.demo === true });
  },
};

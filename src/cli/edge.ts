import { parseCommandArgs } from './args.js';
import { UsageError, type Command } from './command.js';

export const edgeCommand: Command = {
  name: 'edge',
  summary: 'start the SIP edge (drachtio-srf): one entry for carriers, several FreeSWITCH nodes behind',
  help: [
    'usage: hotline edge',
    '',
    'Connects to a drachtio-server and takes every carrier INVITE: the trunk is known by its',
    'source address (registry trunks:), the dialed line is read where that trunk\'s carrier',
    'puts it, unknown and emergency numbers are refused before any media, and the call goes to',
    'the healthiest FreeSWITCH node (registry nodes:) with the line in X-Hotline-Line — on to',
    'the next node if one does not answer in time or answers 5xx.',
    '',
    'Agents\' phones REGISTER here (digest against EDGE_AGENT_SECRETS_FILE); a node rings an',
    'agent with an INVITE to sip:<agent id>@<edge>, proxied to every phone the agent registered.',
    '',
    'Settings come from the environment:',
    '  HOTLINE_REGISTRY  registry file (default config/hotline.example.yaml)',
    '  DRACHTIO_HOST, DRACHTIO_PORT  drachtio-server\'s admin socket (default 127.0.0.1:9022)',
    '  DRACHTIO_SECRET   its shared secret (required; the stock "cymru" only with HOTLINE_DEV=1)',
    '  EDGE_HTTP_HOST, EDGE_HTTP_PORT  /health and /metrics (default 127.0.0.1:8090)',
    '  HOTLINE_TOKENS_FILE  the router\'s tokens: /metrics wants an admin or supervisor token',
    '  EDGE_AGENT_SECRETS_FILE  agents\' SIP passwords or HA1 and the nonce key (not the registry)',
    '  EDGE_SIP_REALM    digest realm (default hotline)',
    '  EDGE_REGISTER_MIN_EXPIRES, EDGE_REGISTER_MAX_EXPIRES  registration bounds (60, 3600 s)',
    '  EDGE_REGISTERS_PER_MINUTE  per source address; past it 403, no challenge (60)',
    '  REDIS_URL         registrations shared by several edges (default: this process\'s memory)',
    '  EDGE_INVITE_TIMEOUT_MS  no provisional answer from a node by then → next node (2000)',
    '  EDGE_LAST_NODE_TIMEOUT_MS  the last node left is waited for this long instead (30000)',
    '  EDGE_KEEPALIVE_MS OPTIONS to every node this often (5000); two misses → node down',
    '  EDGE_DRAIN_NODES  comma-separated nodes taken out of rotation (maintenance)',
    '  EDGE_DRAIN_SECONDS  on SIGTERM, how long calls in progress may go on (default 60)',
    '  LOG_LEVEL         pino level (default info)',
    'SIGTERM / SIGINT: new INVITEs get 503 (carriers use their alternate route); dialogs in',
    'progress are untouched until they end or EDGE_DRAIN_SECONDS pass.',
    '',
  ].join('\n'),
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(' ')}"`);
    const { runEdge } = await import('../edge-main.js');
    return runEdge(io);
  },
};

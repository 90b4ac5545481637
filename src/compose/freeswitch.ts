import { OutboundEslServer } from '../adapters/esl/index.js';
import { FarLegHangups } from '../adapters/esl/far-leg-hangups.js';
import { EslMediaControl } from '../adapters/esl/media-control.js';
import { EslNodeLinks } from '../adapters/esl/node-links.js';
import type { HealthComponent } from '../adapters/http/app.js';
import type { CallManager } from '../app/call/manager.js';
import type { Registry } from '../config/schema.js';
import { eslTargets } from '../core/fs-nodes/index.js';
import type { Logger } from '../lib/logger.js';
import type { Settings } from '../settings/settings.js';
import { linksHealth } from './freeswitch-links.js';

export interface FreeswitchLink {
  readonly health: readonly HealthComponent[];
  /** One inbound ESL link per FreeSWITCH node (api, bgapi, global events); undefined without ESL_PASSWORD. */
  readonly links: EslNodeLinks | undefined;
  /** After the CallManager has drained: closes what is left (a bridged call stays up in FreeSWITCH). */
  close(): Promise<void>;
}

/** The inbound connection's subscription (BACKGROUND_JOB and HEARTBEAT are always added). */
export const ROUTER_INBOUND_EVENTS = ['CHANNEL_HANGUP', 'DTMF'] as const;

/**
 * A call's socket reads only CHANNEL_EXECUTE_COMPLETE (application results), CHANNEL_HANGUP,
 * CHANNEL_BRIDGE (the agent answered) and DTMF. `myevents` subscribes to 23 kinds; the rest —
 * CHANNEL_STATE alone fires on every state change of the leg — FreeSWITCH would serialise, all
 * variables included, for nobody; the router does not ask for the adapter's default extras
 * (playback and record events) either.
 */
export const ROUTER_CALL_EVENTS = ['CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP', 'CHANNEL_BRIDGE', 'DTMF'] as const;

/**
 * FreeSWITCH reaches the router per call (outbound socket → CallManager), whichever node the call
 * is on; the router reaches each node over its own inbound connection for api and global events,
 * when a password is given: every node of the registry's `nodes:` with ESL_NODES=registry, else
 * the one of ESL_HOST (a registry's `nodes:` may be the edge's alone: the router does not follow them unasked).
 */
export async function linkFreeswitch(settings: Settings, calls: CallManager, logger: Logger, nodes?: Registry['nodes']): Promise<FreeswitchLink> {
  if (settings.eslNodes === 'registry' && (nodes === undefined || nodes.length === 0)) {
    throw new Error('ESL_NODES=registry: the registry lists no FreeSWITCH nodes (nodes:)');
  }
  const eslLog = logger.child({ component: 'esl' });
  const limits = { maxHeaderBytes: settings.eslMaxHeaderBytes, maxBodyBytes: settings.eslMaxBodyBytes, handshakeMaxBytes: settings.eslHandshakeMaxBytes };
  // Fed by the inbound links below: without them a bridge ends on its own completion only.
  const farLegs = new FarLegHangups();
  const outbound = new OutboundEslServer({
    host: settings.outboundHost,
    port: settings.outboundPort,
    logger: eslLog,
    limits,
    extraEvents: [],
    onlyEvents: ROUTER_CALL_EVENTS,
    handler: (channel) => calls.accept({ channelData: channel.channelData, media: new EslMediaControl(channel, { farLegs }) }),
  });
  const bound = await outbound.listen();
  eslLog.info({ ...bound }, 'outbound socket server listening');

  let links: EslNodeLinks | undefined;
  if (settings.eslPassword !== undefined) {
    // Only what the router reads here: DTMF (the transfer feature codes typed on agents' legs; the
    // survey's keys come on the caller's socket) and CHANNEL_HANGUP (transfer legs, and an agent
    // hanging up, which frees the agent before the caller's bridge completes). FreeSWITCH
    // serialises every subscribed event of every channel, with all its variables, for this one
    // connection: the other channel events (create, answer, bridge, unbridge, hangup-complete,
    // destroy) cost it ~12 JSON events per call that nothing here read.
    links = new EslNodeLinks({
      targets: eslTargets(settings.eslNodes === 'registry' ? nodes : undefined, { host: settings.eslHost, port: settings.eslPort }),
      password: settings.eslPassword, logger: eslLog, client: { limits, events: ROUTER_INBOUND_EVENTS },
    });
    for (const l of links.links) l.client.on('failed', (err) => { eslLog.error({ err, node: l.name }, 'freeswitch inbound esl failed'); });
    links.onEvent((e) => { farLegs.feed(e); });
    links.start();
  }

  return {
    links,
    health: [
      { name: 'outbound', check: () => ({ state: 'ok', detail: `${bound.host}:${bound.port}, ${outbound.activeChannels} calls` }) },
      ...linksHealth(links),
    ],
    close: async () => { await Promise.all([outbound.close(), links?.close()]); },
  };
}

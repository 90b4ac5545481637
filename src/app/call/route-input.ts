/**
 * The channel data FreeSWITCH sends on connect → route()'s input. The generated dialplan may
 * set `hotline_line` (the legacy number a trunk or DID maps to) before the socket app; it wins
 * over the dialed number because a carrier can deliver a legacy line under another DID.
 */
import type { CallRequest, LiveQueueView } from '../../core/routing/index.js';

export interface ChannelFacts {
  readonly to: string;
  readonly from: string | undefined;
  /** destination_number as delivered, before any hotline_line mapping */
  readonly dialed: string | undefined;
}

export function channelFacts(data: Readonly<Record<string, string>>): ChannelFacts {
  const line = data['variable_hotline_line']?.trim();
  const to = line !== undefined && line !== '' ? line : data['Caller-Destination-Number'] ?? data['variable_destination_number'] ?? '';
  const from = data['Caller-Caller-ID-Number'] ?? data['variable_caller_id_number'];
  const dialed = data['Caller-Destination-Number'] ?? data['variable_destination_number'];
  return { to, from: from === '' ? undefined : from, dialed: dialed === '' ? undefined : dialed };
}

export function routeRequest(facts: ChannelFacts, live: LiveQueueView | undefined): CallRequest {
  return {
    to: facts.to,
    ...(facts.from !== undefined ? { from: facts.from } : {}),
    ...(live !== undefined ? { live } : {}),
  };
}

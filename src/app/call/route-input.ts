/**
 * The channel data FreeSWITCH sends on connect → route()'s input. Which line was dialed, most
 * deliberate first: the SIP edge's X-Hotline-Line header (it read every place the carrier may
 * put the number), then `hotline_line` the generated dialplan sets before the socket app, then
 * the destination number itself — a carrier can deliver a legacy line under another DID.
 */
import { DIALED_HEADER, LINE_HEADER } from '../../core/edge/index.js';
import type { CallRequest, LiveQueueView } from '../../core/routing/index.js';

/** A SIP header of the INVITE as FreeSWITCH exposes it on the channel. */
const headerVariable = (name: string): string => `variable_sip_h_${name}`;
const nonEmpty = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return t === undefined || t === '' ? undefined : t;
};

export interface ChannelFacts {
  readonly to: string;
  readonly from: string | undefined;
  /** The number as the carrier delivered it: the edge's X-Hotline-Dialed, else destination_number. */
  readonly dialed: string | undefined;
}

export function channelFacts(data: Readonly<Record<string, string>>): ChannelFacts {
  const destination = data['Caller-Destination-Number'] ?? data['variable_destination_number'];
  const line = nonEmpty(data[headerVariable(LINE_HEADER)]) ?? nonEmpty(data['variable_hotline_line']);
  const to = line ?? destination ?? '';
  const from = data['Caller-Caller-ID-Number'] ?? data['variable_caller_id_number'];
  const dialed = nonEmpty(data[headerVariable(DIALED_HEADER)]) ?? destination;
  return { to, from: from === '' ? undefined : from, dialed: dialed === '' ? undefined : dialed };
}

export function routeRequest(facts: ChannelFacts, live: LiveQueueView | undefined): CallRequest {
  return {
    to: facts.to,
    ...(facts.from !== undefined ? { from: facts.from } : {}),
    ...(live !== undefined ? { live } : {}),
  };
}

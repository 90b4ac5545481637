import {
  encodeConnect, encodeEventSubscription, encodeLinger, encodeMyEvents,
} from './codec/commands.js';
import { decodeHeaderValues } from './codec/event-decode.js';
import { replyText, type EslConnection } from './connection.js';
import { EslError, EslErrorCode } from './errors.js';

export interface OutboundHandshakeSpec {
  timeoutMs: number;
  /** Subscribed on top of `myevents` (which omits e.g. PLAYBACK_STOP). */
  extraEvents: readonly string[];
  /** Seconds FreeSWITCH keeps the socket after hangup, 'forever' (until we close), or false. */
  linger: number | 'forever' | false;
}

/**
 * `connect` → channel data, `myevents json`, `event json …`, `linger`. The connect reply is the
 * CHANNEL_DATA event serialized as a command/reply, so its header values are url-encoded.
 * Without `full` on the dialplan's socket app FreeSWITCH refuses `event`/`api`/`linger`.
 */
export async function outboundHandshake(conn: EslConnection, spec: OutboundHandshakeSpec): Promise<Record<string, string>> {
  const reply = await conn.request(encodeConnect(), 'connect', spec.timeoutMs);
  const channelData = decodeHeaderValues(reply.headers);
  if (!channelData['Unique-ID']) {
    throw new EslError(EslErrorCode.protocol, 'connect reply carries no Unique-ID (is this a FreeSWITCH outbound socket?)');
  }
  if (channelData['Control'] !== undefined && channelData['Control'] !== 'full') {
    throw new EslError(EslErrorCode.protocol,
      `outbound socket is "${channelData['Control']}", not full control: the dialplan must use "socket <addr> async full"`);
  }
  replyText(await conn.request(encodeMyEvents('json'), 'myevents', spec.timeoutMs), 'myevents');
  if (spec.extraEvents.length > 0) {
    const data = encodeEventSubscription({ format: 'json', events: spec.extraEvents, required: ['CHANNEL_EXECUTE_COMPLETE'] });
    replyText(await conn.request(data, 'event subscription', spec.timeoutMs), 'event subscription');
  }
  if (spec.linger !== false) {
    const data = encodeLinger(spec.linger === 'forever' ? undefined : spec.linger);
    replyText(await conn.request(data, 'linger', spec.timeoutMs), 'linger');
  }
  return channelData;
}

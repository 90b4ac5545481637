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
  /**
   * Taken back out of `myevents` (`nixevent`): events of this channel nobody reads, which
   * FreeSWITCH would otherwise serialise with every channel variable for this socket. Default none.
   */
  dropEvents?: readonly string[];
  /** Seconds FreeSWITCH keeps the socket after hangup, 'forever' (until we close), or false. */
  linger: number | 'forever' | false;
}

/**
 * `connect` → channel data, `myevents json`, `event json …`, `linger`, sent together. The connect reply is the
 * CHANNEL_DATA event serialized as a command/reply, so its header values are url-encoded.
 * Without `full` on the dialplan's socket app FreeSWITCH refuses `event`/`api`/`linger`.
 */
export async function outboundHandshake(conn: EslConnection, spec: OutboundHandshakeSpec): Promise<Record<string, string>> {
  // All four go out at once: FreeSWITCH reads them in order and answers in order, so waiting for
  // each reply before the next only added three round trips (and three wake-ups of its listener)
  // to every call's set-up. A failure still surfaces as the first rejected reply.
  const connect = conn.request(encodeConnect(), 'connect', spec.timeoutMs);
  const myevents = conn.request(encodeMyEvents('json'), 'myevents', spec.timeoutMs);
  const drop = spec.dropEvents === undefined || spec.dropEvents.length === 0 ? undefined
    : conn.request(`nixevent ${spec.dropEvents.join(' ')}\n\n`, 'nixevent', spec.timeoutMs);
  const events = spec.extraEvents.length === 0 ? undefined
    : conn.request(encodeEventSubscription({ format: 'json', events: spec.extraEvents, required: ['CHANNEL_EXECUTE_COMPLETE'] }), 'event subscription', spec.timeoutMs);
  const linger = spec.linger === false ? undefined
    : conn.request(encodeLinger(spec.linger === 'forever' ? undefined : spec.linger), 'linger', spec.timeoutMs);
  const later = [myevents, drop, events, linger];
  // Each reply is awaited below; until then a rejection must not count as unhandled.
  for (const p of later) p?.catch(() => undefined);
  const reply = await connect;
  const channelData = decodeHeaderValues(reply.headers);
  if (!channelData['Unique-ID']) {
    throw new EslError(EslErrorCode.protocol, 'connect reply carries no Unique-ID (is this a FreeSWITCH outbound socket?)');
  }
  if (channelData['Control'] !== undefined && channelData['Control'] !== 'full') {
    throw new EslError(EslErrorCode.protocol,
      `outbound socket is "${channelData['Control']}", not full control: the dialplan must use "socket <addr> async full"`);
  }
  replyText(await myevents, 'myevents');
  if (drop !== undefined) replyText(await drop, 'nixevent');
  if (events !== undefined) replyText(await events, 'event subscription');
  if (linger !== undefined) replyText(await linger, 'linger');
  return channelData;
}

import {
  encodeConnect, encodeEventSubscription, encodeLinger, encodeMyEvents, encodeNoEvents,
} from './codec/commands.js';
import { decodeHeaderValues } from './codec/event-decode.js';
import { replyText, type EslConnection } from './connection.js';
import { EslError, EslErrorCode } from './errors.js';

export interface OutboundHandshakeSpec {
  timeoutMs: number;
  /** Subscribed on top of `myevents` (which omits e.g. PLAYBACK_STOP). */
  extraEvents: readonly string[];
  /**
   * Of `myevents`' 23 kinds, only these (plus extraEvents): the rest FreeSWITCH would serialise
   * with every channel variable for this socket. Default: all of them.
   */
  onlyEvents?: readonly string[];
  /** Seconds FreeSWITCH keeps the socket after hangup, 'forever' (until we close), or false. */
  linger: number | 'forever' | false;
}

/**
 * `connect` → channel data, `myevents json`, then either `event json <extras>` or, with onlyEvents,
 * `noevents` + `event json <only + extras>`, and `linger`, sent together. The connect reply is the
 * CHANNEL_DATA event serialized as a command/reply, so its header values are url-encoded.
 * Without `full` on the dialplan's socket app FreeSWITCH refuses `event`/`api`/`linger`.
 *
 * Why `noevents` + `event` and not `nixevent <the other 19>`: FreeSWITCH reads a command's bytes
 * one recv() and one sched_yield() each (mod_event_socket.c read_packet), so every byte of every
 * call's handshake costs it two system calls; the short form is ~80 bytes where the list was
 * ~330. `noevents` keeps what `myevents` narrowed to (this channel's Unique-ID: LFLAG_MYEVENTS
 * stays set) but drops events queued since `myevents`; no command of ours has run by then, so
 * at most a hang-up in that instant is lost, which the channel takes from the linger notice
 * (CallChannel).
 */
export async function outboundHandshake(conn: EslConnection, spec: OutboundHandshakeSpec): Promise<Record<string, string>> {
  // All go out at once: FreeSWITCH reads them in order and answers in order, so waiting for
  // each reply before the next only added round trips (and wake-ups of its listener)
  // to every call's set-up. A failure still surfaces as the first rejected reply.
  const connect = conn.request(encodeConnect(), 'connect', spec.timeoutMs);
  const myevents = conn.request(encodeMyEvents('json'), 'myevents', spec.timeoutMs);
  const none = spec.onlyEvents === undefined ? undefined : conn.request(encodeNoEvents(), 'noevents', spec.timeoutMs);
  const names = [...(spec.onlyEvents ?? []), ...spec.extraEvents];
  const events = names.length === 0 ? undefined
    : conn.request(encodeEventSubscription({ format: 'json', events: names, required: ['CHANNEL_EXECUTE_COMPLETE'] }), 'event subscription', spec.timeoutMs);
  const linger = spec.linger === false ? undefined
    : conn.request(encodeLinger(spec.linger === 'forever' ? undefined : spec.linger), 'linger', spec.timeoutMs);
  const later = [myevents, none, events, linger];
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
  if (none !== undefined) replyText(await none, 'noevents');
  if (events !== undefined) replyText(await events, 'event subscription');
  if (linger !== undefined) replyText(await linger, 'linger');
  return channelData;
}

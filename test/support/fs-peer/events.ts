import { randomUUID } from 'node:crypto';
import type { Headers } from './framing.js';

/** An event as the peer fires it: ordered headers (FreeSWITCH keeps insertion order) and a body. */
export interface PeerEvent {
  name: string;
  headers: [string, string][];
  body?: string;
}

export function header(event: PeerEvent, name: string): string | undefined {
  const lower = name.toLowerCase();
  return event.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/**
 * One simulated FreeSWITCH core: its Core-UUID and the core-wide Event-Sequence counter that
 * every fired event takes a number from, subscribed or not (switch_event_prep_for_delivery).
 */
export class FsCore {
  readonly coreUuid: string;
  private sequence = 0;

  constructor(readonly hostname = 'fs-peer', coreUuid: string = randomUUID()) {
    this.coreUuid = coreUuid;
  }

  /** Burn sequence numbers as if `count` events were fired and lost on the way. */
  skip(count: number): void {
    this.sequence += count;
  }

  get lastSequence(): number {
    return this.sequence;
  }

  /** Builds an event with the core headers FreeSWITCH prepends, then `headers`. */
  create(name: string, headers: Headers = [], body?: string): PeerEvent {
    this.sequence += 1;
    const now = Date.now();
    const base: [string, string][] = [
      ['Event-Name', name],
      ['Core-UUID', this.coreUuid],
      ['FreeSWITCH-Hostname', this.hostname],
      ['FreeSWITCH-Switchname', this.hostname],
      ['FreeSWITCH-IPv4', '127.0.0.1'],
      ['Event-Date-Local', new Date(now).toISOString().replace('T', ' ').slice(0, 19)],
      ['Event-Date-GMT', new Date(now).toUTCString()],
      ['Event-Date-Timestamp', String(now * 1000)],
      ['Event-Calling-File', 'fs-peer.ts'],
      ['Event-Calling-Function', 'fire'],
      ['Event-Calling-Line-Number', '1'],
      ['Event-Sequence', String(this.sequence)],
    ];
    return { name, headers: [...base, ...headers.map(([n, v]): [string, string] => [n, v])], ...(body !== undefined ? { body } : {}) };
  }
}

export interface ChannelProfile {
  uuid: string;
  destination: string;
  callerNumber: string;
  callerName?: string;
  context?: string;
  /** Channel variables (without the `variable_` prefix), e.g. `sip_h_X-Line`. */
  variables?: Record<string, string>;
}

export function newChannelProfile(over: Partial<ChannelProfile> = {}): ChannelProfile {
  return { uuid: randomUUID(), destination: '12345', callerNumber: '13800138000', callerName: 'Caller', context: 'public', ...over };
}

/** switch_channel_event_set_data: channel state, caller profile (`Caller-*`) and `variable_*`. */
export function channelHeaders(ch: ChannelProfile, state: { answered: boolean; state: string }): [string, string][] {
  const name = `sofia/internal/${ch.callerNumber}@127.0.0.1`;
  const out: [string, string][] = [
    ['Channel-State', state.state],
    ['Channel-Call-State', state.answered ? 'ACTIVE' : 'RINGING'],
    ['Channel-Name', name],
    ['Unique-ID', ch.uuid],
    ['Call-Direction', 'inbound'],
    ['Answer-State', state.answered ? 'answered' : 'ringing'],
    ['Caller-Direction', 'inbound'],
    ['Caller-Username', ch.callerNumber],
    ['Caller-Dialplan', 'XML'],
    ['Caller-Caller-ID-Name', ch.callerName ?? ''],
    ['Caller-Caller-ID-Number', ch.callerNumber],
    ['Caller-Network-Addr', '127.0.0.1'],
    ['Caller-ANI', ch.callerNumber],
    ['Caller-Destination-Number', ch.destination],
    ['Caller-Unique-ID', ch.uuid],
    ['Caller-Source', 'mod_sofia'],
    ['Caller-Context', ch.context ?? 'public'],
    ['Caller-Channel-Name', name],
    ['variable_uuid', ch.uuid],
    ['variable_direction', 'inbound'],
    ['variable_destination_number', ch.destination],
    ['variable_caller_id_number', ch.callerNumber],
  ];
  for (const [k, v] of Object.entries(ch.variables ?? {})) out.push([`variable_${k}`, v]);
  return out;
}

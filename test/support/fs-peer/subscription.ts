import { header, type PeerEvent } from './events.js';

/**
 * A listener's event selection, following mod_event_socket: `event <fmt> <names…>` where every
 * token after CUSTOM is a subclass; `myevents` narrows to one Unique-ID; `filter` adds
 * header=value matches (any filter matching lets the event through).
 */
export class Subscription {
  format: 'json' | 'plain' = 'plain';
  private readonly names = new Set<string>();
  private readonly subclasses = new Set<string>();
  private all = false;
  private enabled = false;
  private myUuid: string | undefined;
  private readonly filters: [string, string][] = [];

  get active(): boolean {
    return this.enabled;
  }

  /** Applies `event …`; returns the Reply-Text FreeSWITCH would send. */
  applyEvent(args: string[]): string {
    let custom = false;
    let count = 0;
    for (const [i, raw] of args.entries()) {
      const token = raw.trim();
      if (token === '') continue;
      if (i === 0 && ['json', 'plain', 'xml'].includes(token.toLowerCase())) {
        this.format = token.toLowerCase() === 'json' ? 'json' : 'plain';
        continue;
      }
      if (custom) {
        this.subclasses.add(token);
        continue;
      }
      const name = token.toUpperCase();
      if (!/^[A-Z_]+$/.test(name)) continue; // switch_name_event fails: ignored like FreeSWITCH
      count += 1;
      if (name === 'ALL') this.all = true;
      if (name === 'CUSTOM') custom = true;
      this.names.add(name);
    }
    if (count === 0) return '-ERR no keywords supplied';
    this.enabled = true;
    return `+OK event listener enabled ${this.format}`;
  }

  applyMyEvents(uuid: string, format: string | undefined): string {
    if (this.myUuid !== undefined) return '-ERR aready enabled.';
    this.myUuid = uuid;
    for (const n of ['CHANNEL_ANSWER', 'CHANNEL_APPLICATION', 'CHANNEL_BRIDGE', 'CHANNEL_CREATE', 'CHANNEL_DATA',
      'CHANNEL_DESTROY', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE',
      'CHANNEL_ORIGINATE', 'CHANNEL_UUID', 'CHANNEL_OUTGOING', 'CHANNEL_PARK', 'CHANNEL_PROGRESS',
      'CHANNEL_PROGRESS_MEDIA', 'CHANNEL_STATE', 'CHANNEL_UNBRIDGE', 'CHANNEL_UNPARK', 'DETECTED_SPEECH', 'DTMF',
      'NOTALK', 'TALK']) this.names.add(n);
    if (format?.toLowerCase() === 'json') this.format = 'json';
    this.enabled = true;
    return '+OK Events Enabled';
  }

  applyNoEvents(): string {
    if (!this.enabled) return '-ERR not listening for events';
    this.enabled = false;
    this.all = false;
    this.names.clear();
    this.subclasses.clear();
    return '+OK no longer listening for events';
  }

  applyFilter(args: string): string {
    const [first = '', ...rest] = args.trim().split(' ');
    if (first.toLowerCase() === 'delete' && rest.length > 0) {
      const [name = '', ...val] = rest;
      const value = val.join(' ');
      for (let i = this.filters.length - 1; i >= 0; i -= 1) {
        const f = this.filters[i];
        if (name.toLowerCase() === 'all' || (f && f[0] === name && (value === '' || f[1] === value))) this.filters.splice(i, 1);
      }
      return `+OK filter deleted. [${name}][${value === '' ? '(null)' : value}]`;
    }
    if (rest.length === 0) return '-ERR invalid syntax';
    const value = rest.join(' ');
    this.filters.push([first, value]);
    return `+OK filter added. [${first}]=[${value}]`;
  }

  matches(event: PeerEvent): boolean {
    if (!this.enabled) return false;
    let send = this.all || (this.names.has(event.name) &&
      (event.name !== 'CUSTOM' || this.subclasses.has(header(event, 'Event-Subclass') ?? '')));
    if (send && this.myUuid !== undefined && header(event, 'Unique-ID') !== this.myUuid) send = false;
    if (send && this.filters.length > 0) {
      send = this.filters.some(([n, v]) => header(event, n) === v);
    }
    return send;
  }
}

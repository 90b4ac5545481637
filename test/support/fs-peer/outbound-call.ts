import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { defaultApps, type AppBehaviour } from './apps.js';
import { FsCore, channelHeaders, newChannelProfile, type ChannelProfile, type PeerEvent } from './events.js';
import { commandReply, serializePlain, type Headers, type PeerCommand } from './framing.js';
import { EslListener, type ApiResolver } from './listener.js';
import { ChannelRunner } from './channel-runner.js';

export interface OutboundCallOptions {
  /** The router's outbound socket server. */
  host: string;
  port: number;
  profile?: Partial<ChannelProfile>;
  core?: FsCore;
  /** `socket … async full` (default) or without `full` (event/api/linger refused). */
  full?: boolean;
  apps?: Record<string, AppBehaviour>;
  /** api answers on this socket; default: `status` and `eval`. */
  api?: ApiResolver;
  /** Also hand every fired event to this sink (e.g. an FsPeer's inbound sessions). */
  broadcast?: (event: PeerEvent) => void;
}

const defaultApi: ApiResolver = (command, arg) =>
  Promise.resolve(command === 'status' ? 'UP\n' : command === 'eval' ? arg : undefined);

/**
 * FreeSWITCH's `socket` application seen from the router: connects, answers `connect` with the
 * channel data, then behaves as an outbound listener (myevents, linger, sendmsg, event, api).
 */
export class FsOutboundCall extends EslListener {
  readonly profile: ChannelProfile;
  readonly runner: ChannelRunner;
  readonly lifecycle = new EventEmitter<{ handshake: []; executed: [string, string] }>();
  linger: number | 'forever' | undefined;
  /** Event names this listener never gets, as if FreeSWITCH flushed or overflowed its queue. */
  readonly lost = new Set<string>();
  private readonly full: boolean;
  private lingerTimer: NodeJS.Timeout | undefined;

  private constructor(socket: Socket, core: FsCore, opts: OutboundCallOptions) {
    super(socket, core, opts.api ?? defaultApi, (e) => this.fan(e, opts.broadcast));
    this.profile = newChannelProfile(opts.profile);
    this.full = opts.full ?? true;
    this.runner = new ChannelRunner(core, this.profile, { ...defaultApps, ...opts.apps }, (e) => this.fan(e, opts.broadcast));
    this.runner.onDown = () => this.afterHangup();
  }

  /** Connects to the router like `socket host:port async full` and resolves once connected. */
  static async dial(opts: OutboundCallOptions): Promise<FsOutboundCall> {
    const socket = connect({ host: opts.host, port: opts.port });
    const call = new FsOutboundCall(socket, opts.core ?? new FsCore(), opts);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return call;
  }

  get uuid(): string {
    return this.profile.uuid;
  }

  app(name: string, behaviour: AppBehaviour): this {
    this.runner.apps[name] = behaviour;
    return this;
  }

  /** The far end hangs up (or FreeSWITCH kills the channel). */
  hangup(cause = 'NORMAL_CLEARING'): Promise<void> {
    return this.runner.hangup(cause);
  }

  /** A channel event as FreeSWITCH would fire it (DTMF, PLAYBACK_STOP, CHANNEL_BRIDGE, …). */
  fire(name: string, headers: Headers = [], body?: string): PeerEvent {
    return this.runner.fire(name, headers, body);
  }

  dtmf(digit: string): PeerEvent {
    return this.fire('DTMF', [['DTMF-Digit', digit], ['DTMF-Duration', '2000'], ['DTMF-Source', 'RTP']]);
  }

  /** Ends a linger period now, as if its timer ran out. */
  endLinger(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.disconnect(undefined, this.noticeHeaders('disconnect'));
  }

  private fan(event: PeerEvent, broadcast: ((e: PeerEvent) => void) | undefined): void {
    if (!this.lost.has(event.name)) this.deliver(event);
    broadcast?.(event);
  }

  private noticeHeaders(disposition: string): Headers {
    return [['Controlled-Session-UUID', this.uuid], ['Content-Disposition', disposition]];
  }

  private afterHangup(): void {
    if (this.linger === undefined) {
      this.disconnect(undefined, this.noticeHeaders('disconnect'));
      return;
    }
    const seconds = this.linger === 'forever' ? -1 : this.linger;
    this.write(`Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${this.uuid}\nContent-Disposition: linger\n` +
      `Channel-Name: sofia/internal/${this.profile.callerNumber}@127.0.0.1\nLinger-Time: ${seconds}\nContent-Length: 0\n\n`);
    if (this.linger !== 'forever') {
      this.lingerTimer = setTimeout(() => this.endLinger(), this.linger * 1000);
      this.lingerTimer.unref();
    }
  }

  protected handleMore(cmd: PeerCommand, line: string, lower: string): string | undefined {
    if (lower.startsWith('connect')) {
      const data = this.core.create('CHANNEL_DATA', [
        ...channelHeaders(this.profile, this.runner.state),
        ['Content-Type', 'command/reply'],
        ['Reply-Text', '+OK\n'],
        ['Socket-Mode', 'async'],
        ['Control', this.full ? 'full' : 'single-channel'],
      ]);
      this.lifecycle.emit('handshake');
      return serializePlain(data.headers);
    }
    if (lower.startsWith('myevents')) {
      const reply = commandReply(this.subscription.applyMyEvents(this.uuid, line.split(' ')[1]));
      // The socket app parks the channel as soon as the listener runs: events flow mid-handshake.
      this.write(reply);
      this.runner.fire('CHANNEL_PARK');
      return undefined;
    }
    if (lower.startsWith('getvar ')) return commandReply(this.runner.variables.get(line.slice(7).trim()) ?? '');
    if (lower.startsWith('sendmsg')) return this.sendmsg(cmd, line);
    if (!this.full) return commandReply('-ERR command not found');
    if (lower.startsWith('nolinger')) {
      this.linger = undefined;
      return commandReply('+OK will not linger');
    }
    if (lower.startsWith('linger')) {
      const n = Number(line.slice(6).trim());
      this.linger = line.slice(6).trim() === '' ? 'forever' : n;
      return commandReply(this.linger === 'forever' ? '+OK will linger' : `+OK will linger ${n} seconds`);
    }
    return commandReply('-ERR command not found');
  }

  private sendmsg(cmd: PeerCommand, line: string): string {
    const target = line.slice(7).trim();
    if (target !== '' && target !== this.uuid) return commandReply(`-ERR invalid session id [${target}]`);
    const command = cmd.headers.get('call-command');
    if (command === 'execute') {
      const app = cmd.headers.get('execute-app-name') ?? '';
      let arg = cmd.headers.get('execute-app-arg') ?? '';
      if (arg === '' && cmd.headers.get('content-type')?.toLowerCase() === 'text/plain') arg = cmd.body ?? '';
      this.lifecycle.emit('executed', app, arg);
      // async socket: queued as a private event, "+OK" now, the application runs later.
      this.runner.enqueue({ app, arg, eventUuid: cmd.headers.get('event-uuid'), eventLock: cmd.headers.get('event-lock') === 'true' });
    } else if (command === 'hangup') {
      setImmediate(() => void this.runner.hangup(cmd.headers.get('hangup-cause') ?? 'NORMAL_CLEARING'));
    }
    return commandReply('+OK');
  }
}

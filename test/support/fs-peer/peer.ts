import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { FsCore, type PeerEvent } from './events.js';
import type { Headers } from './framing.js';
import { InboundSession } from './inbound-session.js';
import type { ApiHandler, EslListener } from './listener.js';

export interface FsPeerOptions {
  password?: string;
  /** 'reject': every connection gets text/rude-rejection (address outside the ACL). */
  acl?: 'allow' | 'reject';
  core?: FsCore;
  /** Default 0 (ephemeral); a fixed port lets a test "restart" FreeSWITCH where a client expects it. */
  port?: number;
}

export interface FsPeerEvents {
  session: [InboundSession];
}

/**
 * A wire-level stand-in for FreeSWITCH's inbound event socket (port 8021), programmable from
 * tests: script api answers, fire events, lose events, drop or disconnect connections.
 */
export class FsPeer extends EventEmitter<FsPeerEvents> {
  readonly core: FsCore;
  readonly sessions = new Set<InboundSession>();
  /** Channels that exist, for `uuid_exists` (tests add and remove them as calls come and go). */
  readonly channels = new Set<string>();
  /** What `api status` reports: switch.conf.xml's limits and the sessions now. */
  readonly load = { sessions: 0, maxSessions: 1000, sessionsPerSecond: 30 };
  private readonly server: Server;
  private readonly apis = new Map<string, ApiHandler>();
  private opts: { password: string; acl: 'allow' | 'reject' };

  private constructor(opts: FsPeerOptions) {
    super();
    this.core = opts.core ?? new FsCore();
    this.opts = { password: opts.password ?? 'ClueCon', acl: opts.acl ?? 'allow' };
    this.server = createServer((socket) => {
      const session = new InboundSession(socket, this.core, (c, a, l) => this.runApi(c, a, l), (e) => this.fireEvent(e), {
        password: this.opts.password,
        rejectByAcl: this.opts.acl === 'reject',
      });
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      this.emit('session', session);
    });
    // mod_commands.c status_function's lines, with the counts a test sets in `load`.
    this.api('status', () => [
      'UP 0 years, 0 days, 0 hours, 1 minute, 0 seconds, 0 milliseconds, 0 microseconds',
      'FreeSWITCH (Version 1.10.12 -release 64bit) is ready',
      `${this.load.sessions} session(s) since startup`,
      `${this.load.sessions} session(s) - peak ${this.load.sessions}, last 5min ${this.load.sessions} `,
      `0 session(s) per Sec out of max ${this.load.sessionsPerSecond}, peak 0, last 5min 0 `,
      `${this.load.maxSessions} session(s) max`,
      'min idle cpu 0.00/97.71',
      'Current Stack Size/Max 240K/8192K',
      '',
    ].join('\n'));
    this.api('eval', (_c, arg) => arg);
    // mod_commands.c uuid_exists_function: the body is `true` or `false`, nothing else (no +OK).
    this.api('switchname', () => this.core.hostname);
    this.api('uuid_exists', (_c, arg) => (this.channels.has(arg.trim()) ? 'true' : 'false'));
  }

  static async start(opts: FsPeerOptions = {}): Promise<FsPeer> {
    const peer = new FsPeer(opts);
    await new Promise<void>((resolve, reject) => {
      peer.server.once('error', reject);
      peer.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return peer;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  readonly host = '127.0.0.1';

  /** Changes behaviour for connections made from now on (e.g. the password after a "config fix"). */
  configure(opts: Partial<Pick<FsPeerOptions, 'password' | 'acl'>>): void {
    this.opts = { ...this.opts, ...opts };
  }

  /** Scripts `api <name> …` (and `bgapi <name> …`); the handler's string is the body. */
  api(name: string, handler: ApiHandler): this {
    this.apis.set(name, handler);
    return this;
  }

  /** Fires an event through the core (takes a sequence number) to every matching session. */
  fire(name: string, headers: Headers = [], body?: string): PeerEvent {
    const event = this.core.create(name, headers, body);
    this.fireEvent(event);
    return event;
  }

  fireEvent(event: PeerEvent): void {
    for (const s of this.sessions) s.deliver(event);
  }

  /** As if FreeSWITCH dropped `count` events for a slow listener. */
  loseEvents(count: number): void {
    this.core.skip(count);
  }

  /** Abruptly drops every connection (FreeSWITCH crash, network cut). */
  dropAll(): void {
    for (const s of this.sessions) s.drop();
  }

  /** Resolves with the next session that is authenticated and subscribed. */
  nextSubscribedSession(): Promise<InboundSession> {
    return new Promise((resolve) => {
      this.once('session', (s) => {
        const check = (): void => {
          if (s.subscription.active) { s.off('command', check); resolve(s); }
        };
        s.on('command', () => setImmediate(check));
      });
    });
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async runApi(command: string, arg: string, listener: EslListener): Promise<string | undefined> {
    const handler = this.apis.get(command);
    return handler ? handler(command, arg, { listener }) : undefined;
  }
}

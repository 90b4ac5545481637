import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { CallChannel } from './call-channel.js';
import type { FsEvent } from './codec/types.js';
import { EslConnection, type EslLimits } from './connection.js';
import { EslError, EslErrorCode } from './errors.js';
import { silentLogger, type EslLogger } from './logger.js';
import { outboundHandshake } from './outbound-handshake.js';

export interface OutboundEslServerOptions {
  /** Default 127.0.0.1: FreeSWITCH and the router share a host or a private network. */
  host?: string;
  /** Default 0 (ephemeral; read `address` after listen). */
  port?: number;
  /**
   * Called once per call after the handshake. A throw/rejection closes the socket (FreeSWITCH falls back in its dialplan);
   * so does a returned promise that resolves: the handler is done with the call.
   */
  handler: (channel: CallChannel) => void | Promise<void>;
  logger?: EslLogger;
  /** Default HANDSHAKE_TIMEOUT_MS. */
  handshakeTimeoutMs?: number;
  commandTimeoutMs?: number;
  extraEvents?: readonly string[];
  /** Of `myevents`, only these (see OutboundHandshakeSpec.onlyEvents). */
  onlyEvents?: readonly string[];
  linger?: number | 'forever' | false;
  /** What one socket may make us hold, before and after its handshake (default DEFAULT_ESL_LIMITS). */
  limits?: EslLimits;
}

export interface OutboundEslServerEvents {
  /** A handshake failed; the socket has been dropped. */
  'handshake-error': [EslError];
}

/**
 * How long a call's socket may take to answer `connect`. Long, because giving up does not hand the
 * caller on: FreeSWITCH's listener ends with the socket, and a caller whose session thread had not
 * reached its park by then can ring in `socket` with nobody in control until the stranded-caller
 * sweep moves it to the fallback (stranded-callers.ts), whose groups of 32 phones load the switch
 * further. On a saturated switch a slow reply is a listener thread not yet scheduled, not a dead
 * peer; with 5 s here, callers FreeSWITCH answered late at 30 calls/s became fallback calls
 * (docs/freeswitch-bench.md, "Sustained load"). Still bounded for a peer that never answers.
 */
export const HANDSHAKE_TIMEOUT_MS = 20_000;

export const DEFAULT_OUTBOUND_EXTRA_EVENTS = ['PLAYBACK_START', 'PLAYBACK_STOP', 'RECORD_START', 'RECORD_STOP'] as const;

/** Accepts FreeSWITCH's `socket <host:port> async full` connections, one per call. */
export class OutboundEslServer extends EventEmitter<OutboundEslServerEvents> {
  private readonly server: Server;
  private readonly conns = new Set<EslConnection>();
  private readonly channels = new Set<CallChannel>();
  private readonly log: EslLogger;
  private listening = false;

  constructor(private readonly opts: OutboundEslServerOptions) {
    super();
    this.log = opts.logger ?? silentLogger;
    this.server = createServer((socket) => this.onSocket(socket));
    this.server.on('error', (err) => this.log.error({ err }, 'outbound ESL server error'));
  }

  get address(): { host: string; port: number } | undefined {
    const a = this.server.address() as AddressInfo | null;
    return a ? { host: a.address, port: a.port } : undefined;
  }

  /** Calls whose handshake completed and whose socket is still open. */
  get activeChannels(): number {
    return this.channels.size;
  }

  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', onError);
        this.listening = true;
        const address = this.address;
        if (!address) { reject(new Error('outbound ESL server has no address')); return; }
        this.log.info(address, 'outbound ESL server listening');
        resolve(address);
      });
    });
  }

  /** Stops accepting and closes every call socket (each call's dialplan continues in FreeSWITCH). */
  async close(): Promise<void> {
    const stopped = this.listening
      ? new Promise<void>((resolve) => this.server.close(() => resolve()))
      : Promise.resolve();
    this.listening = false;
    const closing = [...this.conns].map((conn) => new Promise<void>((resolve) => {
      if (!conn.isOpen) { resolve(); return; }
      conn.once('close', () => resolve());
      conn.close(new EslError(EslErrorCode.closed, 'outbound ESL server closing'), 'exit\n\n');
    }));
    await Promise.all([stopped, ...closing]);
  }

  private onSocket(socket: Socket): void {
    const conn = new EslConnection(socket, this.log, this.opts.limits);
    this.conns.add(conn);
    conn.once('close', () => this.conns.delete(conn));
    const timeoutMs = this.opts.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
    // myevents starts the flow before the handshake ends (CHANNEL_PARK from the socket app…).
    const early: FsEvent[] = [];
    const hold = (event: FsEvent): void => void early.push(event);
    conn.on('event', hold);
    outboundHandshake(conn, {
      timeoutMs,
      extraEvents: this.opts.extraEvents ?? DEFAULT_OUTBOUND_EXTRA_EVENTS,
      ...(this.opts.onlyEvents === undefined ? {} : { onlyEvents: this.opts.onlyEvents }),
      linger: this.opts.linger ?? 30,
    }).then(
      (channelData) => {
        conn.off('event', hold);
        conn.handshakeDone();
        this.startCall(conn, channelData, early);
      },
      (err: unknown) => {
        const error = err instanceof EslError ? err : new EslError(EslErrorCode.protocol, String(err));
        this.log.warn({ err: error, remote: socket.remoteAddress }, 'outbound ESL handshake failed');
        conn.destroy(error);
        this.emit('handshake-error', error);
      },
    );
  }

  private startCall(conn: EslConnection, channelData: Record<string, string>, early: readonly FsEvent[]): void {
    if (!conn.isOpen) return;
    const channel = new CallChannel(conn, channelData, this.opts.commandTimeoutMs ?? 10_000, this.log);
    this.channels.add(channel);
    channel.once('close', () => this.channels.delete(channel));
    const fail = (err: unknown): void => {
      this.log.error({ err, uuid: channel.uuid }, 'call handler failed; releasing the call to the dialplan');
      void channel.close();
    };
    try {
      const result = this.opts.handler(channel);
      // A handler that resolves is done with the call. FreeSWITCH keeps a hung-up channel's
      // session locked while its socket lingers ("Socket Linger 30", then "Locked, Waiting on
      // external entities"), so leaving the socket open would hold every finished call for the
      // whole linger time: close it.
      if (result instanceof Promise) result.then(() => channel.close(), fail);
    } catch (err) {
      fail(err);
      return;
    }
    channel.replay(early);
  }
}

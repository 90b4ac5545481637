/**
 * Inbound ESL client: one per FreeSWITCH node, carrying api/bgapi and global events.
 *
 * Why not modesl.Connection: reading modesl 1.2.1's source, every part on the data path has a
 * defect we would have to patch from outside — its Parser re-concatenates the whole backlog on
 * each chunk (quadratic) and runs a bare decodeURIComponent on every header (throws, crashing
 * the process); Connection writes each command in several writes with Nagle on, appends its
 * required events after CUSTOM, keeps reply callbacks in queues it never rejects, and has no
 * reconnect. Patching that means replacing Parser, send, events and the callback queues, i.e.
 * everything but the socket. So this layer owns the socket, with its own framing and codecs
 * (./codec), and keeps modesl's good ideas: FIFO reply matching, our own Job-UUID on bgapi, and
 * Event-UUID ↔ Application-UUID correlation for execute.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect as netConnect } from 'node:net';
import { throttledErrorLog, type ErrorReporter } from '../../lib/error-throttle.js';
import { backoffDelay } from './backoff.js';
import { EslCommandError, encodeApi, encodeBgapi } from './codec/commands.js';
import type { FsEvent } from './codec/types.js';
import { EslConnection, replyText } from './connection.js';
import { EslError, EslErrorCode, encodeCommand, isEslError, isFatalEslError } from './errors.js';
import { inboundHandshake } from './inbound-handshake.js';
import { JobTable, type BgapiResult } from './jobs.js';
import { DEFAULT_INBOUND_EVENTS, type EslState, type InboundEslEvents, type InboundEslOptions } from './inbound-types.js';
import { silentLogger, type EslLogger } from './logger.js';
import { SequenceTracker } from './sequence.js';

export class InboundEslClient extends EventEmitter<InboundEslEvents> {
  private current: EslConnection | undefined;
  private stateValue: EslState = 'connecting';
  private started = false;
  private attempt = 0;
  private everConnected = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  private fatal: EslError | undefined;
  private readonly jobs = new JobTable();
  private readonly tracker: SequenceTracker;
  private readonly log: EslLogger;
  private readonly target: string;
  /** Reconnects come every few seconds while FreeSWITCH is away: one line per cause per minute. */
  private readonly logDown: ErrorReporter;

  constructor(private readonly opts: InboundEslOptions) {
    super();
    this.log = opts.logger ?? silentLogger;
    this.target = `${opts.host}:${opts.port}`;
    this.logDown = throttledErrorLog(this.log, 'ESL connection down; reconnecting', { intervalMs: opts.errorLogIntervalMs ?? 60_000 });
    const all = (opts.events ?? []).some((e) => e.toUpperCase() === 'ALL');
    this.tracker = new SequenceTracker(opts.sequenceGaps ?? all);
  }

  get state(): EslState {
    return this.stateValue;
  }

  /** The fatal configuration error that put the client in `failed`, if any. */
  get failure(): EslError | undefined {
    return this.fatal;
  }

  /** Starts (once) and resolves on the first successful handshake; rejects if the client fails or is closed first. */
  connect(): Promise<void> {
    if (this.stateValue === 'connected') return Promise.resolve();
    if (this.stateValue === 'failed' && this.fatal) return Promise.reject(this.fatal);
    if (this.stateValue === 'closed') return Promise.reject(new EslError(EslErrorCode.closed, 'ESL client closed'));
    const ready = new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        this.off('connected', onUp).off('failed', onFail).off('state', onState);
      };
      const onUp = (): void => { cleanup(); resolve(); };
      const onFail = (err: EslError): void => { cleanup(); reject(err); };
      const onState = (s: EslState): void => {
        if (s === 'closed') { cleanup(); reject(new EslError(EslErrorCode.closed, 'ESL client closed before connecting')); }
      };
      this.on('connected', onUp).on('failed', onFail).on('state', onState);
    });
    if (!this.started) {
      this.started = true;
      this.open();
    }
    return ready;
  }

  /** `api <command>` → its body. A body starting `-ERR` rejects with ESL_ERR_COMMAND. */
  async api(command: string): Promise<string> {
    const conn = this.ready(`api ${command}`);
    const frame = await conn.request(encodeCommand(() => encodeApi(command)), `api ${command}`, this.opts.commandTimeoutMs ?? 10_000);
    this.lastActivity = Date.now();
    const body = frame.body ?? replyText(frame, `api ${command}`);
    if (body.startsWith('-ERR')) throw new EslError(EslErrorCode.command, `api ${command} failed: ${body.trim()}`, body);
    return body;
  }

  /** `bgapi <command>`; resolves with the BACKGROUND_JOB body. */
  async bgapi(command: string): Promise<BgapiResult> {
    const conn = this.ready(`bgapi ${command}`);
    const jobUuid = randomUUID();
    const data = encodeCommand(() => encodeBgapi(command, jobUuid));
    const result = this.jobs.wait(jobUuid, command, this.opts.bgapiTimeoutMs ?? 120_000);
    // A lost connection fails the job before the reply's rejection reaches us: not unhandled.
    result.catch(() => undefined);
    try {
      replyText(await conn.request(data, `bgapi ${command}`, this.opts.commandTimeoutMs ?? 10_000), `bgapi ${command}`);
    } catch (err) {
      this.jobs.fail(jobUuid, err as EslError);
    }
    return result;
  }

  /** Stops for good: no reconnect; outstanding commands reject with ESL_ERR_CLOSED. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.setState('closed');
    this.stopTimers();
    this.jobs.failAll(EslErrorCode.closed, 'ESL client closed');
    const conn = this.current;
    if (!conn?.isOpen) return;
    await new Promise<void>((resolve) => {
      conn.once('close', () => resolve());
      conn.close(new EslError(EslErrorCode.closed, 'ESL client closed'), 'exit\n\n');
    });
  }

  private ready(what: string): EslConnection {
    if (this.stateValue === 'closed') throw new EslError(EslErrorCode.closed, `${what}: ESL client closed`);
    const conn = this.current;
    if (this.stateValue !== 'connected' || !conn?.isOpen) {
      throw new EslError(EslErrorCode.notConnected, `${what}: not connected to FreeSWITCH at ${this.target} (${this.stateValue})`);
    }
    return conn;
  }

  private setState(next: EslState): void {
    if (next === this.stateValue) return;
    this.stateValue = next;
    this.emit('state', next);
  }

  private open(): void {
    const timeoutMs = this.opts.connectTimeoutMs ?? 5000;
    const socket = netConnect({ host: this.opts.host, port: this.opts.port });
    const conn = new EslConnection(socket, this.log, this.opts.limits);
    this.current = conn;
    const connectTimer = setTimeout(() => conn.destroy(new EslError(EslErrorCode.timeout, `connect to ${this.target} timed out`)), timeoutMs);
    socket.once('connect', () => clearTimeout(connectTimer));
    conn.on('event', (event) => this.onEvent(event));
    conn.on('disconnect-notice', (frame) => this.log.warn({ notice: frame.body?.trim() }, 'FreeSWITCH disconnect notice'));
    conn.once('close', (reason) => {
      clearTimeout(connectTimer);
      this.onClose(conn, reason);
    });
    inboundHandshake(conn, {
      target: this.target,
      password: this.opts.password,
      subscription: {
        format: this.opts.format ?? 'json',
        events: this.opts.events ?? DEFAULT_INBOUND_EVENTS,
        subclasses: this.opts.subclasses ?? [],
        required: ['BACKGROUND_JOB', ...(this.opts.heartbeatIntervalMs === 0 ? [] : ['HEARTBEAT'])],
      },
      filters: this.opts.filters ?? [],
      timeoutMs,
    }).then(() => this.onReady(conn), (err: unknown) => this.onHandshakeError(conn, err));
  }

  private onReady(conn: EslConnection): void {
    if (this.stateValue === 'closed' || this.current !== conn || !conn.isOpen) return;
    conn.handshakeDone();
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.attempt = 0;
    this.lastActivity = Date.now();
    this.setState('connected');
    this.log.info({ target: this.target, reconnected }, 'ESL connected');
    this.startHeartbeat(conn);
    this.emit('connected');
    // Whatever happened while we were away is unknown: the consumer must re-read state.
    if (reconnected) this.emit('resync-needed', { reason: 'reconnected' });
  }

  private onHandshakeError(conn: EslConnection, caught: unknown): void {
    const err = caught instanceof EslCommandError
      ? new EslError(EslErrorCode.invalidCommand, `ESL subscription is invalid: ${caught.message}`, undefined, { cause: caught })
      : caught;
    // Wrong password, ACL, or a subscription FreeSWITCH refuses: retrying cannot fix configuration.
    if (isFatalEslError(err) || isEslError(err, EslErrorCode.command) || isEslError(err, EslErrorCode.invalidCommand)) {
      this.fatal = err;
      this.log.error({ err: this.fatal, target: this.target }, 'ESL refused for good (configuration): not reconnecting');
      this.stopTimers();
      this.setState('failed');
      this.jobs.failAll(this.fatal.code, this.fatal.message);
      this.emit('failed', this.fatal);
    }
    conn.destroy(err instanceof EslError ? err : new EslError(EslErrorCode.protocol, String(err)));
  }

  private onEvent(event: FsEvent): void {
    this.lastActivity = Date.now();
    if (event.name === 'BACKGROUND_JOB') this.jobs.complete(event);
    const signal = this.tracker.observe(event);
    try {
      this.emit('event', event);
    } finally {
      if (signal) {
        this.log.warn({ ...signal, target: this.target }, 'ESL events lost or FreeSWITCH restarted; resync needed');
        this.emit('resync-needed', signal);
      }
    }
  }

  private onClose(conn: EslConnection, reason: EslError): void {
    if (this.current !== conn) return;
    this.current = undefined;
    this.stopTimers();
    this.tracker.reset();
    if (this.stateValue === 'closed' || this.stateValue === 'failed') return;
    this.jobs.failAll(EslErrorCode.disconnected, `connection to ${this.target} lost`);
    const wasConnected = this.stateValue === 'connected';
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    if (wasConnected) this.emit('disconnected', reason);
    const delay = backoffDelay(this.attempt, this.opts.backoff, this.opts.random);
    this.attempt += 1;
    this.logDown(reason, { target: this.target, delayMs: delay, attempt: this.attempt });
    this.emit('retry', { attempt: this.attempt, delayMs: delay, error: reason });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stateValue === 'reconnecting' || this.stateValue === 'connecting') this.open();
    }, delay);
  }

  private startHeartbeat(conn: EslConnection): void {
    const interval = this.opts.heartbeatIntervalMs ?? 20_000;
    if (interval <= 0) return;
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastActivity < interval || conn.pendingCount > 0) return;
      this.api('status').catch((err: unknown) => {
        if (this.current !== conn || !conn.isOpen) return;
        this.log.warn({ target: this.target, err }, 'ESL heartbeat failed; reconnecting');
        conn.destroy(new EslError(EslErrorCode.timeout, 'ESL heartbeat probe failed', undefined, { cause: err }));
      });
    }, interval);
    this.heartbeatTimer.unref();
  }

  private stopTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.reconnectTimer = undefined;
    this.heartbeatTimer = undefined;
  }
}

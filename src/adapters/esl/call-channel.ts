import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { encodeApi, encodeExecute, encodeHangup } from './codec/commands.js';
import type { EslFrame, FsEvent } from './codec/types.js';
import { replyText, type EslConnection } from './connection.js';
import { EslError, EslErrorCode, encodeCommand } from './errors.js';
import { silentLogger, type EslLogger } from './logger.js';

/**
 * An application's Event-UUID (FreeSWITCH echoes it as Application-UUID): it only has to tell
 * apart the applications run on one channel, so a process tag and a counter, not a 36-character
 * UUID. FreeSWITCH reads command headers a byte per system call; this saves ~26 of them per
 * execute. The tag keeps ids of a restarted router apart on a channel that outlived it.
 */
const APP_ID_TAG = randomBytes(4).toString('hex');
let appIds = 0;
const nextAppId = (): string => `${APP_ID_TAG}-${(appIds += 1).toString(36)}`;

export interface HangupInfo {
  /** `Hangup-Cause` (e.g. NORMAL_CLEARING), or `UNKNOWN` if the socket went first. */
  cause: string;
  event?: FsEvent;
}

export interface CallChannelEvents {
  event: [FsEvent];
  /** At most once: on CHANNEL_HANGUP, or when FreeSWITCH drops the socket without one. */
  hangup: [HangupInfo];
  /** The outbound socket is gone; `reason.code` is ESL_ERR_CLOSED if the router closed it. */
  close: [EslError];
}

export interface ExecuteOptions {
  /** Reject with ESL_ERR_TIMEOUT if CHANNEL_EXECUTE_COMPLETE has not come by then. Default: none. */
  timeoutMs?: number;
  /** `event-lock: true`: later queued messages wait for this application. */
  eventLock?: boolean;
}

const ignoreHere = (): void => undefined;

/**
 * After the linger notice (the channel is down), how long CHANNEL_HANGUP, with its cause, may
 * still take to arrive: FreeSWITCH queues it from its event thread, so it can follow the notice.
 * Past this the channel counts as hung up anyway, rather than after the whole linger time.
 */
export const HANGUP_AFTER_NOTICE_MS = 1000;

interface Waiter {
  resolve(event: FsEvent): void;
  reject(err: EslError): void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * One call's outbound ESL socket (`socket … async full`), after the connect handshake.
 * After the channel hangs up, execute/hangup reject with ESL_ERR_HANGUP while `api` keeps working
 * until the socket closes (linger); after close everything rejects.
 */
export class CallChannel extends EventEmitter<CallChannelEvents> {
  readonly uuid: string;
  private readonly waiters = new Map<string, Waiter>();
  private hangupInfo: HangupInfo | undefined;
  private closeReason: EslError | undefined;
  private noticeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly conn: EslConnection,
    /** The CHANNEL_DATA headers from the connect reply, url-decoded. */
    readonly channelData: Readonly<Record<string, string>>,
    private readonly commandTimeoutMs: number,
    private readonly log: EslLogger = silentLogger,
  ) {
    super();
    this.uuid = channelData['Unique-ID'] ?? '';
    conn.on('event', (event) => this.onEvent(event));
    conn.on('disconnect-notice', (frame) => this.onNotice(frame));
    conn.once('close', (reason) => this.onClose(reason));
  }

  /** Hands over events that arrived during the handshake, once the handler has subscribed. */
  replay(events: readonly FsEvent[]): void {
    for (const event of events) this.onEvent(event);
  }

  get isOpen(): boolean {
    return this.closeReason === undefined && this.conn.isOpen;
  }

  /** Executes waiting for their CHANNEL_EXECUTE_COMPLETE. */
  get pendingCompletions(): number {
    return this.waiters.size;
  }

  /** Everything still outstanding on this call: completions and command replies. */
  get pendingCommands(): number {
    return this.waiters.size + this.conn.pendingCount;
  }

  get hungUp(): HangupInfo | undefined {
    return this.hangupInfo;
  }

  /** Runs a dialplan application; resolves with its CHANNEL_EXECUTE_COMPLETE event. */
  async execute(app: string, arg?: string, options: ExecuteOptions = {}): Promise<FsEvent> {
    const eventUuid = nextAppId();
    const data = this.encodeExecute(app, arg, eventUuid, options.eventLock);
    const done = this.waitForCompletion(eventUuid, app, options.timeoutMs);
    // The channel can hang up (failAll) before FreeSWITCH's reply to this sendmsg arrives, i.e.
    // before `done` reaches our caller: observed here, that rejection is not an unhandled one
    // (issue 15: it ended the process). The caller still gets it from the returned promise.
    done.catch(ignoreHere);
    try {
      replyText(await this.conn.request(data, `execute ${app}`, this.commandTimeoutMs), `execute ${app}`);
    } catch (err) {
      this.settle(eventUuid, err as EslError);
    }
    return done;
  }

  /** Queues an application and returns its Event-UUID once FreeSWITCH accepted it. */
  async executeAsync(app: string, arg?: string, options: Pick<ExecuteOptions, 'eventLock'> = {}): Promise<string> {
    const eventUuid = nextAppId();
    const data = this.encodeExecute(app, arg, eventUuid, options.eventLock);
    replyText(await this.conn.request(data, `execute ${app}`, this.commandTimeoutMs), `execute ${app}`);
    return eventUuid;
  }

  /** `api <command>` on this socket. A body starting `-ERR` rejects with ESL_ERR_COMMAND. */
  async api(command: string): Promise<string> {
    this.assertOpen(`api ${command}`);
    const frame = await this.conn.request(encodeCommand(() => encodeApi(command)), `api ${command}`, this.commandTimeoutMs);
    const body = frame.body ?? replyText(frame, `api ${command}`);
    if (body.startsWith('-ERR')) throw new EslError(EslErrorCode.command, `api ${command} failed: ${body.trim()}`, body);
    return body;
  }

  /** Hangs the channel up; resolves at once if it already is. */
  async hangup(cause = 'NORMAL_CLEARING'): Promise<void> {
    if (this.hangupInfo) return;
    this.assertOpen('hangup');
    const data = encodeCommand(() => encodeHangup(cause));
    replyText(await this.conn.request(data, 'hangup', this.commandTimeoutMs), 'hangup');
  }

  /** Closes the socket (`exit`): FreeSWITCH's socket app returns and its dialplan continues. */
  close(): Promise<void> {
    if (!this.conn.isOpen) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.once('close', () => resolve());
      this.conn.close(new EslError(EslErrorCode.closed, `call ${this.uuid} closed by the router`), 'exit\n\n');
    });
  }

  private encodeExecute(app: string, arg: string | undefined, eventUuid: string, eventLock?: boolean): string {
    this.assertOpen(`execute ${app}`);
    if (this.hangupInfo) throw new EslError(EslErrorCode.hangup, `execute ${app}: call ${this.uuid} has hung up (${this.hangupInfo.cause})`);
    return encodeCommand(() => encodeExecute({ app, ...(arg !== undefined ? { arg } : {}), eventUuid, ...(eventLock ? { eventLock } : {}) }));
  }

  private assertOpen(what: string): void {
    if (this.closeReason) {
      const code = this.closeReason.code === EslErrorCode.closed ? EslErrorCode.closed : EslErrorCode.disconnected;
      throw new EslError(code, `${what}: call ${this.uuid} socket is closed`);
    }
  }

  private waitForCompletion(eventUuid: string, app: string, timeoutMs: number | undefined): Promise<FsEvent> {
    return new Promise<FsEvent>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined };
      if (timeoutMs !== undefined && timeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          this.settle(eventUuid, new EslError(EslErrorCode.timeout, `execute ${app}: not complete within ${timeoutMs} ms`));
        }, timeoutMs);
        waiter.timer.unref();
      }
      this.waiters.set(eventUuid, waiter);
    });
  }

  private settle(eventUuid: string, outcome: FsEvent | EslError): void {
    const waiter = this.waiters.get(eventUuid);
    if (!waiter) return;
    this.waiters.delete(eventUuid);
    if (waiter.timer) clearTimeout(waiter.timer);
    if (outcome instanceof EslError) waiter.reject(outcome);
    else waiter.resolve(outcome);
  }

  private failAll(err: (what: string) => EslError): void {
    for (const id of [...this.waiters.keys()]) this.settle(id, err(id));
  }

  private onEvent(event: FsEvent): void {
    if (event.name === 'CHANNEL_EXECUTE_COMPLETE') {
      const id = event.headers['Application-UUID'];
      if (id !== undefined) this.settle(id, event);
    }
    if (event.name === 'CHANNEL_HANGUP' && (event.uuid === undefined || event.uuid === this.uuid)) {
      this.markHungUp({ cause: event.headers['Hangup-Cause'] ?? 'UNKNOWN', event });
    }
    this.emit('event', event);
  }

  private onNotice(frame: EslFrame): void {
    // `linger` notice: the channel is down and FreeSWITCH keeps the socket for the final events.
    // CHANNEL_HANGUP normally comes first or just after; one lost (an event queue FreeSWITCH
    // flushed or overflowed) must not keep the caller "in the call" for the whole linger.
    this.log.debug({ uuid: this.uuid, disposition: frame.headers['Content-Disposition'] }, 'disconnect notice');
    if (this.hangupInfo || this.noticeTimer) return;
    this.noticeTimer = setTimeout(() => {
      this.noticeTimer = undefined;
      if (this.hangupInfo) return;
      this.log.warn({ uuid: this.uuid }, 'channel down without CHANNEL_HANGUP: hung up from the linger notice');
      this.markHungUp({ cause: 'UNKNOWN' });
    }, HANGUP_AFTER_NOTICE_MS);
    this.noticeTimer.unref();
  }

  private markHungUp(info: HangupInfo): void {
    if (this.hangupInfo) return;
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = undefined;
    this.hangupInfo = info;
    this.failAll(() => new EslError(EslErrorCode.hangup, `call ${this.uuid} hung up (${info.cause})`));
    this.emit('hangup', info);
  }

  private onClose(reason: EslError): void {
    this.closeReason = reason;
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = undefined;
    const code = reason.code === EslErrorCode.closed ? EslErrorCode.closed : EslErrorCode.disconnected;
    this.failAll(() => new EslError(code, `call ${this.uuid} socket closed: ${reason.message}`));
    // FreeSWITCH dropping the socket means the call is gone; the router closing it does not.
    if (reason.code !== EslErrorCode.closed) this.markHungUp({ cause: 'UNKNOWN' });
    this.emit('close', reason);
  }
}

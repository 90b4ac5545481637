import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { decodeEventFrame, isEventFrame } from './codec/event-decode.js';
import { EslFrameParser, EslProtocolError } from './codec/frame-parser.js';
import { ContentType, type EslFrame, type FsEvent } from './codec/types.js';
import { EslError, EslErrorCode } from './errors.js';
import { silentLogger, type EslLogger } from './logger.js';

interface Pending {
  resolve(frame: EslFrame): void;
  reject(err: EslError): void;
  timer: NodeJS.Timeout | undefined;
  /** Timed out: the entry stays queued to swallow the late reply and keep the FIFO aligned. */
  settled: boolean;
  what: string;
}

/** What one ESL peer may make us hold; see settings/limits.ts for the defaults. */
export interface EslLimits {
  /** Longest header block of one frame. */
  readonly maxHeaderBytes: number;
  /** Largest frame body once the handshake is over. */
  readonly maxBodyBytes: number;
  /** Every byte the peer sends before the handshake is over; each frame then is within it too. */
  readonly handshakeMaxBytes: number;
}

export const DEFAULT_ESL_LIMITS: EslLimits = Object.freeze({
  maxHeaderBytes: 1024 * 1024,
  maxBodyBytes: 64 * 1024 * 1024,
  handshakeMaxBytes: 1024 * 1024,
});

export interface EslConnectionEvents {
  event: [FsEvent];
  'auth-request': [];
  'disconnect-notice': [EslFrame];
  'rude-rejection': [EslFrame];
  close: [EslError];
}

/**
 * One ESL socket: framing, reply correlation and failure handling shared by the inbound client
 * and the outbound call channel.
 *
 * FreeSWITCH handles one command at a time per connection and answers each with exactly one
 * command/reply or api/response, in order; events arrive interleaved. So replies are matched to
 * a FIFO of outstanding commands. On close, every outstanding command is rejected — modesl
 * leaves those callbacks hanging forever.
 */
export class EslConnection extends EventEmitter<EslConnectionEvents> {
  private readonly parser: EslFrameParser;
  /** Bytes received while the handshake is not over; undefined after it. */
  private handshakeBytes: number | undefined = 0;
  private readonly pending: Pending[] = [];
  private closeReason: EslError | undefined;
  private closed = false;
  /** `exit` written on close, whose `+OK bye` is still to come. */
  private farewellReplies = 0;

  constructor(
    private readonly socket: Socket,
    private readonly log: EslLogger = silentLogger,
    private readonly limits: EslLimits = DEFAULT_ESL_LIMITS,
  ) {
    super();
    // Until the peer has shown it speaks ESL (a handshake), it may make us hold little.
    this.parser = new EslFrameParser({
      maxHeaderBytes: Math.min(limits.maxHeaderBytes, limits.handshakeMaxBytes),
      maxBodyBytes: Math.min(limits.maxBodyBytes, limits.handshakeMaxBytes),
    });
    // modesl never disables Nagle and writes each command in pieces: ~40 ms per sequential api.
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // Without an 'error' listener a reset socket throws and takes the process down.
    socket.on('error', (err) => {
      this.closeReason ??= new EslError(EslErrorCode.socket, `ESL socket error: ${err.message}`, undefined, { cause: err });
    });
    socket.on('close', () => this.onClose());
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  get pendingCount(): number {
    return this.pending.filter((p) => !p.settled).length;
  }

  /** The handshake is over: frames up to the full limits, no more counting of bytes. */
  handshakeDone(): void {
    this.handshakeBytes = undefined;
    this.parser.setLimits({ maxHeaderBytes: this.limits.maxHeaderBytes, maxBodyBytes: this.limits.maxBodyBytes });
  }

  /** Writes one command (one write) and resolves with its command/reply or api/response frame. */
  request(data: string, what: string, timeoutMs: number): Promise<EslFrame> {
    if (!this.isOpen) {
      return Promise.reject(this.closeReason ?? new EslError(EslErrorCode.disconnected, `ESL connection is closed (${what})`));
    }
    return new Promise<EslFrame>((resolve, reject) => {
      const entry: Pending = { resolve, reject, timer: undefined, settled: false, what };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        entry.timer = setTimeout(() => {
          entry.settled = true;
          reject(new EslError(EslErrorCode.timeout, `no reply to ${what} within ${timeoutMs} ms`));
        }, timeoutMs);
        entry.timer.unref();
      }
      this.pending.push(entry);
      this.write(data);
    });
  }

  /**
   * Commands issued in one turn of the event loop leave in one segment (cork until the next
   * tick). One write per command let each wake FreeSWITCH's listener on its own; on a busy box
   * the woken listener preempted us between commands, and the call's session thread took the
   * first command, then sat a 20 ms media tick before it saw the next.
   */
  private write(data: string): void {
    if (this.socket.writableCorked === 0) {
      this.socket.cork();
      process.nextTick(() => this.socket.uncork());
    }
    this.socket.write(data);
  }

  /** Ends the connection; outstanding commands reject with `reason` (ESL_ERR_CLOSED by default). */
  close(reason?: EslError, farewell?: string): void {
    if (this.closed) return;
    this.closeReason ??= reason ?? new EslError(EslErrorCode.closed, 'ESL connection closed by the router');
    if (farewell !== undefined && !this.socket.destroyed) {
      // FreeSWITCH answers `exit` with `+OK bye`: expected, not a stray reply.
      this.farewellReplies += 1;
      this.socket.end(farewell);
    } else {
      this.socket.end();
    }
    // A peer that never FINs back must not keep us (and our pending promises) waiting.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** Drops the socket at once (protocol error, dead heartbeat). */
  destroy(reason: EslError): void {
    this.closeReason ??= reason;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    let frames: EslFrame[];
    try {
      if (this.handshakeBytes !== undefined) {
        this.handshakeBytes += chunk.length;
        if (this.handshakeBytes > this.limits.handshakeMaxBytes) {
          throw new EslProtocolError(`ESL peer sent over ${this.limits.handshakeMaxBytes} bytes before its handshake was over`);
        }
      }
      frames = this.parser.push(chunk);
    } catch (err) {
      const message = err instanceof EslProtocolError ? err.message : String(err);
      this.log.error({ err, remote: this.socket.remoteAddress, handshake: this.handshakeBytes !== undefined }, 'ESL protocol error; dropping connection');
      this.destroy(new EslError(EslErrorCode.protocol, message, undefined, { cause: err }));
      return;
    }
    for (const frame of frames) {
      if (this.closed) return;
      try {
        this.dispatch(frame);
      } catch (err) {
        // A throwing listener is a consumer bug; it must not kill the socket loop (and every call).
        this.log.error({ err, contentType: frame.headers['Content-Type'] }, 'ESL frame listener threw');
      }
    }
  }

  private dispatch(frame: EslFrame): void {
    const type = frame.headers['Content-Type'];
    if (type === ContentType.commandReply || type === ContentType.apiResponse) {
      this.settleNext(frame);
    } else if (isEventFrame(frame)) {
      const decoded = decodeEventFrame(frame);
      if (decoded.ok) this.emit('event', decoded.event);
      else this.log.warn({ reason: decoded.reason }, 'undecodable ESL event skipped');
    } else if (type === ContentType.authRequest) {
      this.emit('auth-request');
    } else if (type === ContentType.disconnectNotice) {
      this.emit('disconnect-notice', frame);
    } else if (type === ContentType.rudeRejection) {
      this.emit('rude-rejection', frame);
    } else if (type !== ContentType.logData) {
      this.log.debug({ contentType: type }, 'ESL frame of unknown type ignored');
    }
  }

  private settleNext(frame: EslFrame): void {
    const entry = this.pending.shift();
    if (!entry && this.farewellReplies > 0) {
      this.farewellReplies -= 1;
      return;
    }
    if (!entry) {
      this.log.warn({ contentType: frame.headers['Content-Type'] }, 'ESL reply with no outstanding command');
      return;
    }
    if (entry.timer) clearTimeout(entry.timer);
    if (!entry.settled) {
      entry.settled = true;
      entry.resolve(frame);
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const reason = this.closeReason ?? new EslError(EslErrorCode.disconnected, 'ESL connection lost');
    this.closeReason = reason;
    for (const entry of this.pending.splice(0)) {
      if (entry.timer) clearTimeout(entry.timer);
      if (entry.settled) continue;
      entry.settled = true;
      entry.reject(new EslError(reason.code === EslErrorCode.closed ? EslErrorCode.closed : EslErrorCode.disconnected,
        `${entry.what}: ${reason.message}`, undefined, { cause: reason }));
    }
    this.emit('close', reason);
  }
}

/** `+OK …` → the text; `-ERR …` → throws ESL_ERR_COMMAND. */
export function replyText(frame: EslFrame, what: string): string {
  const text = (frame.headers['Reply-Text'] ?? '').trim();
  if (frame.headers['Content-Type'] === ContentType.commandReply && text.startsWith('-ERR')) {
    throw new EslError(EslErrorCode.command, `${what} refused: ${text}`, text);
  }
  return text;
}

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { header, type FsCore, type PeerEvent } from './events.js';
import {
  CommandReader, GOODBYE, apiResponse, commandReply, disconnectNotice, eventFrame, type Headers, type PeerCommand,
} from './framing.js';
import { Subscription } from './subscription.js';

export type ApiHandler = (command: string, arg: string, ctx: { listener: EslListener }) => string | Promise<string>;

/** Answers an api command; `undefined` means "Command not found". */
export type ApiResolver = (command: string, arg: string, listener: EslListener) => Promise<string | undefined>;

export interface ListenerEvents {
  command: [PeerCommand];
  /** A command whose bytes are in, before the ones ahead of it are handled. */
  read: [PeerCommand];
  close: [];
}

/**
 * The part of mod_event_socket's listener shared by inbound connections and outbound (`socket`
 * app) connections: sequential command processing, event subscription and delivery, api/bgapi,
 * filters, exit. Subclasses add auth (inbound) or connect/sendmsg/linger (outbound).
 */
export abstract class EslListener extends EventEmitter<ListenerEvents> {
  readonly subscription = new Subscription();
  readonly received: PeerCommand[] = [];
  /** Raw chunks seen from the router, to check one-write-per-command framing. */
  chunks = 0;
  private readonly reader = new CommandReader();
  private chain: Promise<void> = Promise.resolve();
  private closedFlag = false;
  /** Test hook: return true to drop the socket instead of answering this command. */
  dropWhen: ((cmd: PeerCommand) => boolean) | undefined;
  /** Test hook: runs after a command was handled and before its reply is written (a hang-up "in flight"). */
  beforeReply: ((cmd: PeerCommand) => Promise<void> | void) | undefined;

  constructor(
    readonly socket: Socket,
    protected readonly core: FsCore,
    protected readonly resolveApi: ApiResolver,
    protected readonly fireGlobal: (event: PeerEvent) => void,
  ) {
    super();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.chunks += 1;
      for (const cmd of this.reader.push(chunk)) {
        // As soon as its bytes are in, before the commands ahead of it are handled and replied to.
        this.emit('read', cmd);
        this.chain = this.chain.then(() => this.process(cmd)).catch(() => this.drop());
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closedFlag = true;
      this.emit('close');
    });
  }

  get closed(): boolean {
    return this.closedFlag || this.socket.destroyed;
  }

  write(data: string): void {
    if (!this.closed) this.socket.write(data);
  }

  /** Sends the event if this listener's subscription selects it. */
  deliver(event: PeerEvent): boolean {
    if (this.closed || !this.subscription.matches(event)) return false;
    this.write(eventFrame(this.subscription.format, event.headers, event.body));
    return true;
  }

  /** Abrupt close (as when FreeSWITCH dies or kills a slow listener). */
  drop(): void {
    this.socket.destroy();
  }

  /** Orderly close with a text/disconnect-notice, as FreeSWITCH does on exit. */
  disconnect(message = GOODBYE, extra: Headers = []): void {
    if (this.closed) return;
    this.socket.end(disconnectNotice(message, extra));
  }

  private async process(cmd: PeerCommand): Promise<void> {
    if (this.closed) return;
    this.received.push(cmd);
    this.emit('command', cmd);
    if (this.dropWhen?.(cmd)) {
      this.drop();
      return;
    }
    const reply = await this.handle(cmd);
    await this.beforeReply?.(cmd);
    if (reply !== undefined) this.write(reply);
  }

  /** Returns the bytes to answer with (undefined when the handler wrote them itself). */
  protected async handle(cmd: PeerCommand): Promise<string | undefined> {
    const line = cmd.line.trim();
    const lower = line.toLowerCase();
    if (lower.startsWith('exit') || lower.startsWith('...')) {
      this.write(commandReply('+OK bye'));
      this.disconnect();
      return undefined;
    }
    if (lower.startsWith('api ')) {
      const [name = '', ...rest] = line.slice(4).split(' ');
      const body = await this.resolveApi(name, rest.join(' '), this);
      return apiResponse(body ?? `-ERR ${name} Command not found!\n`);
    }
    if (lower.startsWith('bgapi ')) return this.bgapi(line.slice(6), cmd.headers.get('job-uuid'));
    if (lower.startsWith('noevents')) return commandReply(this.subscription.applyNoEvents());
    if (lower.startsWith('nixevent')) return commandReply('+OK events nixed');
    if (lower.startsWith('event')) return commandReply(this.subscription.applyEvent(line.slice(5).trim().split(' ')));
    if (lower.startsWith('filter ')) return commandReply(this.subscription.applyFilter(line.slice(7)));
    return this.handleMore(cmd, line, lower);
  }

  /** Subclass commands (auth, connect, sendmsg, myevents, linger…). */
  protected abstract handleMore(cmd: PeerCommand, line: string, lower: string): Promise<string | undefined> | string | undefined;

  private bgapi(text: string, given: string | undefined): string {
    const jobUuid = given ?? randomUUID();
    const [name = '', ...rest] = text.split(' ');
    const arg = rest.join(' ');
    // The job runs on its own thread in FreeSWITCH: its result is an event, after the reply.
    setImmediate(() => {
      this.resolveApi(name, arg, this).then((body) => {
        const headers: [string, string][] = [['Job-UUID', jobUuid], ['Job-Command', name]];
        if (arg !== '') headers.push(['Job-Command-Arg', arg]);
        this.fireGlobal(this.core.create('BACKGROUND_JOB', headers, body ?? `-ERR ${name} Command not found!\n`));
      }, () => undefined);
    });
    return commandReply(`+OK Job-UUID: ${jobUuid}`, [['Job-UUID', jobUuid]]);
  }
}

export { header };

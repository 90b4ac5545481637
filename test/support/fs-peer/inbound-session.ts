import type { Socket } from 'node:net';
import type { FsCore, PeerEvent } from './events.js';
import { authRequest, commandReply, rudeRejection, type PeerCommand } from './framing.js';
import { EslListener, type ApiResolver } from './listener.js';

export interface InboundSessionOptions {
  password: string;
  /** Answer `text/rude-rejection` and close, as FreeSWITCH does for an address outside its ACL. */
  rejectByAcl: boolean;
}

/** One inbound ESL connection (the router's per-node client), from auth/request onwards. */
export class InboundSession extends EslListener {
  private authed = false;

  constructor(socket: Socket, core: FsCore, resolveApi: ApiResolver, fireGlobal: (e: PeerEvent) => void, private readonly opts: InboundSessionOptions) {
    super(socket, core, resolveApi, fireGlobal);
    if (opts.rejectByAcl) {
      socket.end(rudeRejection());
      return;
    }
    this.write(authRequest());
  }

  get isAuthed(): boolean {
    return this.authed;
  }

  protected override async handle(cmd: PeerCommand): Promise<string | undefined> {
    if (this.authed) return super.handle(cmd);
    const line = cmd.line.trim();
    if (line.toLowerCase().startsWith('exit')) return super.handle(cmd);
    if (line.startsWith('auth ')) {
      if (line.slice(5) === this.opts.password) {
        this.authed = true;
        return commandReply('+OK accepted');
      }
      // FreeSWITCH stops the listener: reply, then the goodbye notice, then close.
      this.write(commandReply('-ERR invalid'));
      this.disconnect();
      return undefined;
    }
    return commandReply('-ERR command not found');
  }

  protected handleMore(cmd: PeerCommand, _line: string, lower: string): string {
    if (lower.startsWith('linger') || lower.startsWith('nolinger')) return commandReply('-ERR not controlling a session');
    if (lower.startsWith('sendmsg')) {
      const uuid = cmd.line.slice(7).trim();
      return commandReply(`-ERR invalid session id [${uuid === '' ? '(null)' : uuid}]`);
    }
    if (lower.startsWith('myevents')) return commandReply('-ERR invalid uuid');
    return commandReply('-ERR command not found');
  }
}

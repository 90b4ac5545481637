import { randomUUID } from 'node:crypto';
import type { AppBehaviour, AppContext } from './apps.js';
import { channelHeaders, type ChannelProfile, type FsCore, type PeerEvent } from './events.js';
import type { Headers } from './framing.js';

export interface QueuedApp {
  app: string;
  arg: string;
  eventUuid: string | undefined;
  eventLock: boolean;
}

/**
 * The channel behind an outbound socket: its state, variables and the private-event queue that
 * runs sendmsg'd applications one after another, firing CHANNEL_EXECUTE and
 * CHANNEL_EXECUTE_COMPLETE with `Application-UUID` = the sendmsg's `Event-UUID`
 * (switch_core_session_exec).
 */
export class ChannelRunner {
  readonly state = { answered: false, state: 'CS_EXECUTE' };
  readonly variables = new Map<string, string>();
  readonly completed: { app: string; arg: string; response: string }[] = [];
  hangupCause: string | undefined;
  onDown: (() => void) | undefined;
  private readonly queue: QueuedApp[] = [];
  private running = false;
  private current: Promise<void> | undefined;
  private markHungUp!: () => void;
  private readonly hungUp = new Promise<void>((resolve) => { this.markHungUp = resolve; });

  constructor(
    private readonly core: FsCore,
    private readonly profile: ChannelProfile,
    readonly apps: Record<string, AppBehaviour>,
    private readonly emit: (event: PeerEvent) => void,
  ) {}

  fire(name: string, headers: Headers = [], body?: string): PeerEvent {
    const event = this.core.create(name, [...channelHeaders(this.profile, this.state), ...headers], body);
    this.emit(event);
    return event;
  }

  enqueue(job: QueuedApp): void {
    if (this.hangupCause !== undefined) return; // queued to a dead session: never runs
    this.queue.push(job);
    // The session thread picks private events up later: after the "+OK" went out.
    if (!this.running) {
      this.running = true;
      this.current = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
    }
  }

  async hangup(cause: string): Promise<void> {
    if (this.hangupCause !== undefined) return;
    this.hangupCause = cause;
    this.state.state = 'CS_HANGUP';
    this.fire('CHANNEL_HANGUP', [['Hangup-Cause', cause]]);
    this.markHungUp();
    this.queue.length = 0;
    // The running application returns and still reports completion, after CHANNEL_HANGUP.
    await this.current;
    this.fire('CHANNEL_HANGUP_COMPLETE', [['Hangup-Cause', cause], ['variable_hangup_cause', cause]]);
    this.state.state = 'CS_DESTROY';
    this.onDown?.();
  }

  private async drain(): Promise<void> {
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        await this.run(job);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(job: QueuedApp): Promise<void> {
    const appUuid = job.eventUuid ?? randomUUID();
    const ids: Headers = [['Application', job.app], ['Application-Data', job.arg], ['Application-UUID', appUuid]];
    this.fire('CHANNEL_EXECUTE', ids);
    const behaviour = this.apps[job.app];
    let response: string | undefined;
    if (behaviour) {
      const ctx: AppContext = {
        app: job.app,
        arg: job.arg,
        hungUp: this.hungUp,
        fire: (name, headers, body) => void this.fire(name, headers, body),
        answer: () => {
          if (this.state.answered) return;
          this.state.answered = true;
          this.fire('CHANNEL_ANSWER');
        },
        hangup: (cause) => {
          void this.hangup(cause);
          return Promise.resolve();
        },
        setVariable: (name, value) => void this.variables.set(name, value),
      };
      response = await behaviour(ctx);
    }
    const result = response ?? '_none_';
    this.completed.push({ app: job.app, arg: job.arg, response: result });
    this.fire('CHANNEL_EXECUTE_COMPLETE', [...ids.slice(0, 2), ['Application-Response', result], ids[2] ?? ['Application-UUID', appUuid]]);
  }
}

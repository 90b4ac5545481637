/**
 * One call: routes it, feeds the pure machine one event at a time and carries out its commands.
 * Events that arrive while a transition's commands run wait their turn, so the machine always
 * sees a consistent order. The session ends when the machine reaches `done`.
 */
import { initialCallState, step, type CallCommand, type CallEvent, type CallPolicy, type CallState } from '../../core/call/index.js';
import type { IdGen } from '../../core/ports.js';
import { route, type LiveQueueView, type RoutingTable } from '../../core/routing/index.js';
import type { SessionNotice } from '../../core/transfer/index.js';
import type { Logger } from '../../lib/logger.js';
import type { ShedReason } from '../../core/capacity/index.js';
import type { TransferableCall } from '../transfer/ports.js';
import type { CallGate } from './load-shedder.js';
import { CommandRunner, type CallPorts } from './command-runner.js';
import type { MediaControl } from './media-port.js';
import { channelFacts, routeRequest, type ChannelFacts } from './route-input.js';

/** Reacting to it takes one microtask turn. */
const SETTLED: Promise<void> = Promise.resolve();

export interface IncomingCall {
  /** FreeSWITCH channel data (CHANNEL_DATA headers, url-decoded). */
  readonly channelData: Readonly<Record<string, string>>;
  readonly media: MediaControl;
}

export interface SessionDeps extends CallPorts {
  /** Admission of new calls past the node's capacity marks; none: every call is taken. */
  readonly gate?: CallGate;
  readonly table: () => RoutingTable;
  readonly policy: CallPolicy;
  readonly ids: IdGen;
  readonly logger: Logger;
  readonly live?: LiveQueueView;
}

export class CallSession {
  readonly callSid: string;
  private state: CallState;
  private log: Logger;
  /** The per-call logger without the queue, which changes on overflow. */
  private lineLog: Logger;
  private readonly runner: CommandRunner;
  private readonly facts: ChannelFacts;
  private readonly queue: CallEvent[] = [];
  private busy = false;
  /** The current transition's commands, and the next one to run. */
  private commands: readonly CallCommand[] = [];
  private nextCommand = 0;
  /** A transition's commands are under way: once they have run, a call in `done` ends. */
  private stepped = false;
  private finish!: () => void;
  /** Settles once the call is over, its record written and its last ACD call (callerLeft, conversationEnded) done. */
  readonly finished = new Promise<void>((resolve) => { this.finish = resolve; });

  constructor(private readonly call: IncomingCall, private readonly deps: SessionDeps) {
    this.callSid = deps.ids.next('call');
    const fsUuid = call.media.uuid;
    this.log = deps.logger.child({ callSid: this.callSid, fsUuid });
    this.lineLog = this.log;
    const facts = channelFacts(call.channelData);
    this.facts = facts;
    this.state = initialCallState({
      callSid: this.callSid, fsUuid, arrivedAt: deps.clock.now(), policy: deps.policy,
      ...(facts.from === undefined ? {} : { caller: facts.from }), ...(facts.dialed === undefined ? {} : { dialed: facts.dialed }),
    });
    this.runner = new CommandRunner(this.callSid, call.media, deps, (e) => this.feed(e), () => this.log);
  }

  get phase(): CallState['phase'] {
    return this.state.phase;
  }

  /** Routes the call and starts the machine; returns at once (see `finished`). `shed`: over capacity, released unanswered unless rejected. */
  start(shed?: ShedReason): void {
    const { media } = this.call;
    media.onHangup((cause) => this.feed({ kind: 'caller-hangup', at: this.deps.clock.now(), cause }));
    media.onDtmf((digit) => this.log.debug({ digit }, 'dtmf'));
    const { facts } = this;
    const at = this.deps.clock.now();
    try {
      const decision = route(routeRequest(facts, this.deps.live), this.deps.table(), at);
      this.lineLog = this.log.child({ line: decision.kind === 'reject' ? facts.to : decision.line.number });
      this.log = this.lineLog;
      if (shed === undefined) this.log.info({ caller: facts.from ?? '', to: facts.to, decision: decision.kind, why: decision.explanation }, 'call routed');
      this.feed({ kind: 'route-decided', at, decision, ...(shed !== undefined ? { shed } : {}) });
    } catch (err) {
      this.log.error({ err }, 'routing failed; releasing the call to the dialplan');
      this.feed({ kind: 'error', at, message: `routing: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  /** The call as the transfer service sees it (TransferCalls.get). */
  get transferable(): TransferableCall {
    const s = this.state;
    return {
      callSid: this.callSid, callerUuid: this.call.media.uuid, agentUuid: this.runner.farUuid, agentId: s.agentId,
      line: s.line?.number, bridgedToAgent: s.phase === 'bridged' && !s.agentReleased,
      freeswitch: this.call.channelData['FreeSWITCH-Switchname'],
      freeswitchCore: this.call.channelData['Core-UUID'],
    };
  }

  /** The 12345 agent's channel while the caller talks to it (DTMF feature codes). */
  get agentLeg(): string | undefined {
    return this.state.phase === 'bridged' && !this.state.agentReleased ? this.runner.farUuid : undefined;
  }

  /** A transfer takes the caller's media over: the bridge ending is not the conversation ending. */
  takeOver(): void {
    this.log.info('transfer takes over the call');
    this.runner.suspend();
  }

  /** What the transfer made of the conversation: the agent left, or the caller is ours again. */
  transferNotice(notice: SessionNotice): void {
    const at = this.deps.clock.now();
    this.log.info({ notice }, 'transfer notice');
    if (notice === 'agent-left') {
      this.feed({ kind: 'transfer-agent-left', at });
      return;
    }
    this.runner.resume();
    this.feed({ kind: 'transfer-over', at });
  }

  /** Shutdown: waiting callers go back to the dialplan (its fallback is the 7×24 pool); talking ones stay. */
  release(reason: string): void {
    this.feed({ kind: 'release', at: this.deps.clock.now(), reason });
  }

  feed(event: CallEvent): void {
    this.queue.push(event);
    if (!this.busy) this.drain();
  }

  /** The machine itself threw (a bug): the call goes back to the dialplan and the session ends. */
  private fail(err: unknown): void {
    this.log.error({ err, phase: this.state.phase }, 'call machine failed; releasing the call to the dialplan');
    this.state = { ...this.state, phase: 'done' };
    this.call.media.release().catch((e: unknown) => this.log.warn({ err: e }, 'release failed'));
    this.end();
  }

  /**
   * Feeds the queued events to the machine and runs their commands. Most commands start work and
   * return, so the events usually all go through synchronously, with no promise made for them (a
   * simulated day feeds a million events); only a command that gives something to wait for
   * (`advance` returns it) makes the rest wait, in `drainAfter`. The microtask turns are those
   * of one async loop awaiting the same promises: the work runs at the same turns.
   */
  private drain(): void {
    this.busy = true;
    let waitFor: Promise<void> | undefined;
    try {
      waitFor = this.advance();
    } catch (err) {
      this.stopAdvancing();
      this.busy = false;
      // The machine threw: failed one turn later, as a rejection of the async drain was.
      void SETTLED.then(() => { this.fail(err); });
      return;
    }
    if (waitFor === undefined) this.busy = false;
    else this.drainAfter(waitFor).catch((err: unknown) => this.fail(err));
  }

  private async drainAfter(first: Promise<void>): Promise<void> {
    try {
      for (let p: Promise<void> | undefined = first; p !== undefined; p = this.advance()) await p;
    } catch (err) {
      this.stopAdvancing();
      throw err;
    } finally {
      this.busy = false;
    }
  }

  /** Runs commands and events in order until a command gives something to wait for (returned), or nothing is left. */
  private advance(): Promise<void> | undefined {
    for (;;) {
      while (this.nextCommand < this.commands.length) {
        const c = this.commands[this.nextCommand] as CallCommand;
        this.nextCommand += 1;
        const p = this.runCommand(c);
        if (p !== undefined) return p;
      }
      if (this.stepped) {
        this.stepped = false;
        if (this.state.phase === 'done') this.end();
      }
      const e = this.queue.shift();
      if (e === undefined) return undefined;
      if (this.state.phase === 'done') continue;
      const before = this.state;
      const t = step(before, e);
      this.state = t.state;
      if (t.state.queueId !== before.queueId && t.state.queueId !== undefined) this.log = this.lineLog.child({ queue: t.state.queueId });
      // Asked first: the line's object would be built for nothing at the usual level (several per call).
      if (t.state.phase !== before.phase && this.log.isLevelEnabled('debug')) this.log.debug({ event: e.kind, phase: before.phase, nextPhase: t.state.phase }, 'call state');
      this.commands = t.commands;
      this.nextCommand = 0;
      this.stepped = true;
    }
  }

  /** A throw ends the transition under way, as it ended the loop that ran it. */
  private stopAdvancing(): void {
    this.commands = [];
    this.nextCommand = 0;
    this.stepped = false;
  }

  private runCommand(c: Parameters<CommandRunner['run']>[0]): Promise<void> | undefined {
    try {
      return this.runner.run(c)?.catch((err: unknown) => { this.commandFailed(c.kind, err); });
    } catch (err) {
      // A port that throws synchronously (bad argument) must not wedge the session.
      this.commandFailed(c.kind, err);
      return undefined;
    }
  }

  private commandFailed(command: string, err: unknown): void {
    this.log.error({ err, command }, 'call command failed');
  }

  private end(): void {
    this.runner.dispose();
    this.queue.length = 0;
    // The ACD chain never rejects (each call's failure is logged where it happens).
    const done = this.finish;
    void this.runner.acdSettled().then(done, done);
  }
}

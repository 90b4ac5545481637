/**
 * Carries out the machine's commands through the ports and turns what comes back into events.
 * Long operations (prompts, music, ringing, the survey) are started, not awaited: their outcome
 * comes back later as an event, so an assignment is never stuck behind an announcement. Only
 * break-media is awaited, so the bridge that follows it cannot be flushed by it.
 */
import type { Clock } from '../../core/ports.js';
import type { CallCommand, CallEvent, CallRecord, PromptRef, TimerName } from '../../core/call/index.js';
import type { TransferLeg } from '../../core/transfer/index.js';
import type { Logger } from '../../lib/logger.js';
import type { CallAcd, QueueNotice } from '../acd/call-acd-port.js';
import type { CallRecordSink } from '../records/index.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { MediaControl } from './media-port.js';
import type { PromptCatalog } from './prompts.js';

export interface CallPorts {
  readonly acd: CallAcd;
  readonly timers: Timers;
  readonly clock: Clock;
  readonly prompts: PromptCatalog;
  readonly records: CallRecordSink;
  /** The call's transfer legs when its record is written (the transfer service's `finish`, which also forgets the call). */
  readonly transferLegs?: (callSid: string) => readonly TransferLeg[];
}

/** Commands that act on the caller's channel: not sent while a transfer owns it. */
const MEDIA: ReadonlySet<CallCommand['kind']> = new Set(['answer', 'play', 'hold', 'break-media', 'bridge', 'collect-digit', 'hangup', 'release']);

/** Every timer name (the compiler holds the list complete), for dispose. */
const TIMER_NAMES = Object.keys({ announce: true } satisfies Record<TimerName, true>) as readonly TimerName[];

/** The media commands whose failure the machine hears of (the handler's label). */
type MediaWork = 'answer' | 'play' | 'hold' | 'break media' | 'survey' | 'hangup';
type AcdWork = 'enqueue' | 'status' | 'agentAnswered' | 'agentNoAnswer' | 'conversationEnded' | 'callerLeft';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class CommandRunner {
  /** The armed timer per name: a field per name rather than a Map, which a call would make and shrink for its one timer. */
  private readonly timerHandles: { [N in TimerName]: TimerHandle | undefined } = { announce: undefined };
  private readonly failures: { [W in MediaWork]?: (err: unknown) => void } = {};
  private readonly acdFailures: { [W in AcdWork]?: (err: unknown) => void } = {};
  private acdChain: Promise<void> = Promise.resolve();
  /** A transfer owns the caller's media (takeOver until resume). */
  private suspended = false;
  private bridges = 0;
  /** The bridge a transfer took the caller out of: its end is not the conversation's end. */
  private takenBridge = -1;
  /** The far end of the last answered bridge (the 12345 agent's leg). */
  farUuid: string | undefined;

  constructor(
    private readonly callSid: string,
    private readonly media: MediaControl,
    private readonly ports: CallPorts,
    private readonly feed: (event: CallEvent) => void,
    private readonly log: () => Logger,
  ) {}

  /** A transfer takes over the caller's channel: the bridge it ends is not reported, no media command is sent. */
  suspend(): void {
    this.suspended = true;
    this.takenBridge = this.bridges;
  }

  /** The transfer gave the caller back (parked): media commands go out again. */
  resume(): void {
    this.suspended = false;
  }

  /** A promise only for the commands the session must wait for (break-media, hangup, release). */
  run(c: CallCommand): Promise<void> | undefined {
    const { media } = this;
    if (this.suspended && MEDIA.has(c.kind)) {
      this.log().warn({ command: c.kind }, 'media command not sent: a transfer owns the call');
      return;
    }
    switch (c.kind) {
      case 'answer':
        media.answer().then(() => this.feed({ kind: 'answered', at: this.now() }), this.failed('answer'));
        return;
      case 'play':
        media.play(this.files(c.prompts)).then(() => this.feed({ kind: 'media-done', at: this.now(), media: c.media }), this.failed('play'));
        return;
      case 'hold':
        media.hold(this.ports.prompts.hold()).then(() => this.feed({ kind: 'media-done', at: this.now(), media: c.media }), this.failed('hold'));
        return;
      case 'break-media':
        return media.breakMedia().catch(this.failed('break media'));
      case 'bridge':
        this.bridge(c.dial, c.ringSeconds);
        return;
      case 'collect-digit':
        media.collectDigit([this.ports.prompts.file(c.prompt)], c.timeoutMs, c.valid).then(
          (digit) => this.feed(digit === null ? { kind: 'digit-timeout', at: this.now() } : { kind: 'digit', at: this.now(), digit }),
          this.failed('survey'));
        return;
      case 'hangup':
        return media.hangup(c.cause).catch(this.failed('hangup'));
      case 'release':
        return media.release().catch((err: unknown) => { this.log().warn({ err }, 'release failed'); });
      case 'set-timer':
        this.cancelTimer(c.name);
        this.timerHandles[c.name] = this.ports.timers.at(c.at, () => {
          this.timerHandles[c.name] = undefined;
          this.feed({ kind: 'timer', at: this.now(), name: c.name });
        });
        return;
      case 'cancel-timer':
        this.cancelTimer(c.name);
        return;
      case 'record': {
        const record = this.withTransfers(c.record);
        this.ports.records.add(record);
        this.log().info({ outcome: record.outcome, waitSeconds: record.waitSeconds, survey: record.survey, agentId: record.agentId, transfers: record.transfers?.length }, 'call record');
        return;
      }
      default:
        this.acdCommand(c);
    }
  }

  dispose(): void {
    for (const name of TIMER_NAMES) this.cancelTimer(name);
  }

  /** Settles once every ACD call made so far has (a callerLeft still queued behind a slow enqueue must reach the store before the session counts as over). */
  acdSettled(): Promise<void> {
    return this.acdChain;
  }

  private acdCommand(c: Extract<CallCommand, { kind: `acd-${string}` }>): void {
    const { acd } = this.ports;
    const id = this.callSid;
    switch (c.kind) {
      case 'acd-enqueue':
        this.acd('enqueue', async () => {
          const r = await acd.enqueue({ callId: id, queueId: c.queueId, priority: c.priority, line: c.line, ...(c.caller === undefined ? {} : { caller: c.caller }) }, (n) => this.notice(n));
          this.feed({ kind: 'enqueued', at: this.now(), queueId: r.queueId, position: r.position, skipped: r.skipped });
        }, true);
        return;
      case 'acd-status':
        this.acd('status', async () => {
          const s = await acd.status(id);
          this.feed({ kind: 'wait-status', at: this.now(), status: s === null ? null : { position: s.position, minutes: s.estimatedWaitMinutes } });
        }, true);
        return;
      case 'acd-agent-answered':
        this.acd('agentAnswered', () => acd.agentAnswered(id, c.agentId));
        return;
      case 'acd-agent-no-answer':
        this.acd('agentNoAnswer', () => acd.agentNoAnswer(id, c.agentId));
        return;
      case 'acd-conversation-ended':
        this.acd('conversationEnded', () => acd.conversationEnded(id, c.agentId));
        return;
      case 'acd-caller-left':
        this.acd('callerLeft', () => acd.callerLeft(id));
        return;
    }
  }

  /** ACD calls run one after another, so callerLeft can never overtake the enqueue it undoes. */
  private acd(what: AcdWork, op: () => Promise<void>, fatal = false): void {
    this.acdChain = this.acdChain.then(op).catch(this.acdFailures[what] ??= (err: unknown) => {
      this.log().warn({ err, acd: what }, 'ACD call failed');
      if (fatal) this.feed({ kind: 'error', at: this.now(), message: `ACD ${what}: ${message(err)}` });
    });
  }

  private notice(n: QueueNotice): void {
    this.feed({ kind: 'queue-notice', at: this.now(), notice: n });
  }

  private withTransfers(record: CallRecord): CallRecord {
    let legs: readonly TransferLeg[] = [];
    try {
      legs = this.ports.transferLegs?.(this.callSid) ?? [];
    } catch (err) {
      this.log().error({ err }, 'transfer legs unavailable for the call record');
    }
    return legs.length === 0 ? record : { ...record, transfers: legs };
  }

  private bridge(dial: string, ringSeconds: number): void {
    const id = ++this.bridges;
    this.media.bridge(dial, ringSeconds).then((outcome) => {
      if (outcome.kind !== 'answered') {
        this.feed({ kind: 'bridge-failed', at: this.now(), outcome: outcome.kind, cause: outcome.cause });
        return;
      }
      this.farUuid = outcome.farUuid;
      this.feed({ kind: 'bridge-answered', at: this.now() });
      void outcome.ended.then((end) => {
        if (id === this.takenBridge) return;
        if (!end.callerGone) this.feed({ kind: 'bridge-ended', at: this.now(), cause: end.cause });
      });
    }, (err: unknown) => {
      if (!this.media.gone) this.feed({ kind: 'bridge-failed', at: this.now(), outcome: 'failed', cause: message(err) });
    });
  }

  /** A loop, not flatMap (a closure and an array per prompt, for one or two prompts). */
  private files(prompts: readonly PromptRef[]): string[] {
    const { prompts: catalog } = this.ports;
    const out: string[] = [];
    for (const p of prompts) {
      if (p.kind === 'prompt') out.push(catalog.file(p.id));
      else for (const f of catalog.announcement(p.position, p.minutes)) out.push(f);
    }
    return out;
  }

  private cancelTimer(name: TimerName): void {
    const h = this.timerHandles[name];
    if (h === undefined) return;
    this.ports.timers.cancel(h);
    this.timerHandles[name] = undefined;
  }

  /**
   * A failure after the caller left is expected (the channel is gone); otherwise the machine decides.
   * One handler per kind of command and call, made when first needed (not one per command sent).
   */
  private failed(what: MediaWork): (err: unknown) => void {
    return (this.failures[what] ??= (err) => {
      if (this.media.gone) {
        this.log().debug({ err, command: what }, 'media command ended with the call');
        return;
      }
      this.feed({ kind: 'error', at: this.now(), message: `${what}: ${message(err)}` });
    });
  }

  private now(): number {
    return this.ports.clock.now();
  }
}

/**
 * A simulated caller's channel: the MediaControl a call session drives, played by the clock
 * instead of FreeSWITCH. Prompts take their time, hold music lasts until broken off, the caller
 * hangs up when their patience runs out (counted from the first hold: the queue), an agent's
 * phone answers after a delay (or not at all), the conversation lasts a sampled handle time and
 * the survey gets a key. The same class serves the simulator (EventClock) and the demo (real time).
 */
import type { BridgeEnd, BridgeOutcome, MediaControl } from '../call/media-port.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { Clock } from '../../core/ports.js';

/** What the far ends do; asked at the moment they act, so draws follow the event order. */
export interface FarEnds {
  /** Seconds of patience of a caller who starts waiting now; undefined: never gives up. */
  patienceSeconds(): number | undefined;
  /** How the phone at `dial` reacts to a ring of at most ringSeconds. */
  ring(dial: string, ringSeconds: number): { readonly answerAfterSeconds: number; readonly talkSeconds: number } | { readonly noAnswer: true };
  /** Seconds one prompt file plays. */
  readonly promptSeconds: number;
  /** The survey key and how long the caller takes to press it (null: no key). */
  surveyKey(): { readonly digit: string | null; readonly afterSeconds: number };
}

interface Playing {
  readonly done: () => void;
  readonly timer?: TimerHandle;
}

export class SimMedia implements MediaControl {
  private isGone = false;
  private answered = false;
  private patience: TimerHandle | undefined;
  private patienceStarted = false;
  private playing: Playing | undefined;
  /** Every timer this channel armed, fired ones included (cancelling those does nothing): a hang-up cancels them all. */
  private readonly timers: TimerHandle[] = [];
  /** Bridges not yet settled, in the order rung (an array: a Set per channel cost more than its one entry). */
  private readonly pendingBridge: ((o: BridgeOutcome) => void)[] = [];
  private hangupListener: ((cause: string) => void) | undefined;

  constructor(
    readonly uuid: string,
    private readonly time: { readonly clock: Clock; readonly timers: Timers },
    private readonly far: FarEnds,
  ) {}

  get gone(): boolean {
    return this.isGone;
  }

  answer(): Promise<void> {
    return Promise.resolve();
  }

  play(files: readonly string[]): Promise<void> {
    return this.media(files.length * this.far.promptSeconds);
  }

  hold(): Promise<void> {
    if (!this.patienceStarted) {
      this.patienceStarted = true;
      const p = this.far.patienceSeconds();
      if (p !== undefined) this.patience = this.after(p, () => { if (!this.answered) this.callerHangsUp('NORMAL_CLEARING'); });
    }
    return this.media(undefined);
  }

  breakMedia(): Promise<void> {
    this.stopMedia();
    return Promise.resolve();
  }

  bridge(dial: string, ringSeconds: number): Promise<BridgeOutcome> {
    if (this.isGone) return Promise.resolve({ kind: 'failed', cause: 'ORIGINATOR_CANCEL' });
    const reaction = this.far.ring(dial, ringSeconds);
    return new Promise<BridgeOutcome>((resolve) => {
      this.pendingBridge.push(resolve);
      const settle = (o: BridgeOutcome) => {
        const i = this.pendingBridge.indexOf(resolve);
        if (i >= 0) this.pendingBridge.splice(i, 1);
        resolve(o);
      };
      if ('noAnswer' in reaction) {
        this.after(ringSeconds, () => settle({ kind: 'no-answer', cause: 'NO_ANSWER' }));
        return;
      }
      this.after(Math.min(reaction.answerAfterSeconds, ringSeconds), () => {
        this.answered = true;
        if (this.patience !== undefined) this.time.timers.cancel(this.patience);
        const ended = new Promise<BridgeEnd>((end) => {
          this.after(reaction.talkSeconds, () => end({ cause: 'NORMAL_CLEARING', callerGone: false }));
        });
        settle({ kind: 'answered', ended, farUuid: `${this.uuid}-b` });
      });
    });
  }

  collectDigit(): Promise<string | null> {
    const key = this.far.surveyKey();
    return new Promise((resolve) => { this.after(key.afterSeconds, () => resolve(key.digit)); });
  }

  hangup(cause: string): Promise<void> {
    // FreeSWITCH confirms a hang-up with the channel's hangup event, a moment later.
    this.after(0, () => this.callerHangsUp(cause));
    return Promise.resolve();
  }

  release(): Promise<void> {
    this.after(0, () => this.callerHangsUp('RELEASED'));
    return Promise.resolve();
  }

  onHangup(listener: (cause: string) => void): void {
    this.hangupListener = listener;
  }

  onDtmf(): void {
    // Simulated callers press keys only when asked (the survey).
  }

  private callerHangsUp(cause: string): void {
    if (this.isGone) return;
    this.isGone = true;
    for (const t of this.timers) this.time.timers.cancel(t);
    this.timers.length = 0;
    this.stopMedia();
    for (const resolve of this.pendingBridge) resolve({ kind: 'failed', cause: 'ORIGINATOR_CANCEL' });
    this.pendingBridge.length = 0;
    this.hangupListener?.(cause);
  }

  /** A prompt (seconds) or hold music (undefined: until broken off); a new one breaks the old. */
  private media(seconds: number | undefined): Promise<void> {
    this.stopMedia();
    if (this.isGone) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (this.playing?.done === done) this.playing = undefined;
        resolve();
      };
      const timer = seconds === undefined ? undefined : this.after(seconds, done);
      this.playing = timer === undefined ? { done } : { done, timer };
    });
  }

  private stopMedia(): void {
    const p = this.playing;
    if (p === undefined) return;
    this.playing = undefined;
    if (p.timer !== undefined) this.time.timers.cancel(p.timer);
    p.done();
  }

  private after(seconds: number, fn: () => void): TimerHandle {
    const handle = this.time.timers.at(this.time.clock.now() + Math.round(seconds * 1000), fn);
    this.timers.push(handle);
    return handle;
  }
}

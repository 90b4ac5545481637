/**
 * The simulated world outside the router: agents' phones, sub-center seats and callers'
 * patience, drawn from the profile's distributions with one seeded generator.
 */
import { sampler, type Random, type Sampler } from '../../core/staffing/index.js';
import type { FarEnds } from './sim-media.js';
import type { SimProfile } from './profile.js';

export class SimFarEnds implements FarEnds {
  readonly promptSeconds: number;
  private readonly handle: Sampler;
  private readonly handleByQueue: Map<string, Sampler>;
  private readonly patience: Sampler | undefined;
  /** agent → the queue of the call it was last assigned (the handle time depends on it) */
  private readonly assigned = new Map<string, string>();

  constructor(
    private readonly profile: SimProfile,
    private readonly rng: Random,
    private readonly agentOfDial: ReadonlyMap<string, string>,
  ) {
    this.promptSeconds = profile.promptSeconds;
    this.handle = sampler(profile.handle);
    this.handleByQueue = new Map(Object.entries(profile.handleByQueue).map(([q, d]) => [q, sampler(d)]));
    this.patience = profile.patience === undefined ? undefined : sampler(profile.patience);
  }

  /** The ACD's `assigned` event, just before the session rings the agent. */
  noteAssigned(agentId: string, queueId: string): void {
    this.assigned.set(agentId, queueId);
  }

  patienceSeconds(): number | undefined {
    return this.patience?.(this.rng);
  }

  ring(dial: string, ringSeconds: number): { answerAfterSeconds: number; talkSeconds: number } | { noAnswer: true } {
    const agentId = this.agentOfDial.get(dial);
    if (agentId === undefined) {
      // A sub-center's seats.
      return { answerAfterSeconds: Math.min(this.profile.subcenterAnswerSeconds, ringSeconds), talkSeconds: this.handle(this.rng) };
    }
    if (this.profile.noAnswerRate > 0 && this.rng.next() < this.profile.noAnswerRate) return { noAnswer: true };
    const queue = this.assigned.get(agentId);
    const talk = (queue === undefined ? undefined : this.handleByQueue.get(queue)) ?? this.handle;
    return { answerAfterSeconds: this.profile.answerSeconds, talkSeconds: talk(this.rng) };
  }

  surveyKey(): { digit: string | null; afterSeconds: number } {
    const u = this.rng.next();
    const digit = u < 0.55 ? '1' : u < 0.8 ? '2' : u < 0.9 ? '3' : null;
    return { digit, afterSeconds: this.profile.surveySeconds };
  }
}

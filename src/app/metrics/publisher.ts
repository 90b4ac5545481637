/**
 * Pushes the live snapshot to stream subscribers (the SSE clients): at most once a second and
 * only when it differs from the last one pushed (the instant `at` aside), plus a heartbeat every
 * 15 s so proxies keep idle streams open. Nothing runs while nobody listens: the ticking starts
 * with the first subscriber and stops with the last, so a disconnected client leaves nothing.
 */
import type { Clock } from '../../core/ports.js';
import type { TimerHandle, Timers } from '../timers.js';
import type { MetricsLog } from './ports.js';
import type { StatsSnapshot } from './stats-model.js';

export type StreamMessage = { readonly kind: 'snapshot'; readonly snapshot: StatsSnapshot } | { readonly kind: 'heartbeat' };
export type StreamListener = (message: StreamMessage) => void;

export const PUSH_INTERVAL_MS = 1000;
export const HEARTBEAT_INTERVAL_MS = 15_000;

export interface PublisherDeps {
  readonly snapshot: () => Promise<StatsSnapshot>;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log?: MetricsLog;
}

const contentOf = (s: StatsSnapshot): string => JSON.stringify({ ...s, at: undefined });

export class SnapshotPublisher {
  private readonly subscribers = new Map<StreamListener, { last: string | undefined; at: number }>();
  private tick: TimerHandle | undefined;
  private heartbeat: TimerHandle | undefined;
  private busy = false;

  constructor(private readonly deps: PublisherDeps) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** True while timers are armed (for leak tests). */
  get active(): boolean {
    return this.tick !== undefined || this.heartbeat !== undefined;
  }

  /** The first snapshot is pushed at once; returns the unsubscribe function (idempotent). */
  subscribe(listener: StreamListener): () => void {
    this.subscribers.set(listener, { last: undefined, at: Number.NEGATIVE_INFINITY });
    if (this.subscribers.size === 1) this.arm();
    void this.push([listener], this.deps.clock.now());
    return () => {
      if (!this.subscribers.delete(listener)) return;
      if (this.subscribers.size === 0) this.disarm();
    };
  }

  stop(): void {
    this.subscribers.clear();
    this.disarm();
  }

  private arm(): void {
    const now = this.deps.clock.now();
    this.tick = this.deps.timers.at(now + PUSH_INTERVAL_MS, () => this.onTick());
    this.heartbeat = this.deps.timers.at(now + HEARTBEAT_INTERVAL_MS, () => this.onHeartbeat());
  }

  private disarm(): void {
    if (this.tick !== undefined) this.deps.timers.cancel(this.tick);
    if (this.heartbeat !== undefined) this.deps.timers.cancel(this.heartbeat);
    this.tick = undefined;
    this.heartbeat = undefined;
  }

  private onTick(): void {
    const tickAt = this.deps.clock.now();
    this.tick = this.deps.timers.at(tickAt + PUSH_INTERVAL_MS, () => this.onTick());
    // A slow snapshot is not stacked: the next tick tries again.
    if (!this.busy) void this.push([...this.subscribers.keys()], tickAt);
  }

  private onHeartbeat(): void {
    this.heartbeat = this.deps.timers.at(this.deps.clock.now() + HEARTBEAT_INTERVAL_MS, () => this.onHeartbeat());
    for (const l of [...this.subscribers.keys()]) this.deliver(l, { kind: 'heartbeat' });
  }

  /**
   * `now` is when the push was decided (the tick's own time), not when the snapshot came back:
   * ticks are armed PUSH_INTERVAL_MS apart, so comparing tick times never drops a tick to the
   * jitter of building the snapshot, and still never pushes twice within a second.
   */
  private async push(listeners: readonly StreamListener[], now: number): Promise<void> {
    if (listeners.length === 0) return;
    this.busy = true;
    try {
      const snapshot = await this.deps.snapshot();
      const content = contentOf(snapshot);
      for (const l of listeners) {
        const state = this.subscribers.get(l);
        // Per subscriber: one who joined between two ticks still gets at most one push a second.
        if (state === undefined || state.last === content || now - state.at < PUSH_INTERVAL_MS) continue;
        state.last = content;
        state.at = now;
        this.deliver(l, { kind: 'snapshot', snapshot });
      }
    } catch (err) {
      this.deps.log?.error({ err }, 'stats snapshot for the stream failed');
    } finally {
      this.busy = false;
    }
  }

  private deliver(listener: StreamListener, message: StreamMessage): void {
    try {
      listener(message);
    } catch (err) {
      this.deps.log?.warn({ err }, 'stream subscriber failed; dropped');
      this.subscribers.delete(listener);
      if (this.subscribers.size === 0) this.disarm();
    }
  }
}

/**
 * A node's heartbeat, on its own timer: re-armed before each beat is sent, so neither a beat
 * still in flight nor any work of the node (dispatch, reaping, reconciliation) delays the next.
 * What is left is the event loop itself, which is why the gaps are measured: a gap near the TTL
 * means the process, not the schedule, is too slow.
 */
import { isStoreUnavailable } from '../../core/acd/store-port.js';
import type { Clock } from '../../core/ports.js';
import type { NodeRegistry } from '../cluster/cluster-port.js';
import type { AcdRuntime } from './acd-runtime.js';

/** How the beats went, for tests, benches and the health view. */
export interface BeatStats {
  readonly beats: number;
  /** longest time between two heartbeats the store acknowledged (ms) */
  readonly maxGapMs: number;
  /** gaps longer than the TTL: the peers may have reaped this node meanwhile */
  readonly gapsOverTtl: number;
  /** beats that found this node's heartbeat gone (reaped while alive, or the store lost it) */
  readonly lost: number;
}

export type BeatOutcome = 'ok' | 'lost' | 'unreachable';

/** One beat, as the node hears of it. */
export type BeatReport =
  /** `silentMs`: since the store last acknowledged a beat of this node (none before the first). */
  | { readonly outcome: 'ok' | 'lost'; readonly silentMs: number | undefined }
  | { readonly outcome: 'unreachable'; readonly err: unknown };

export class Heartbeat {
  private beats = 0;
  private maxGapMs = 0;
  private gapsOverTtl = 0;
  private lost = 0;
  private lastAck: number | undefined;

  constructor(
    private readonly nodeId: string,
    private readonly registry: NodeRegistry,
    private readonly clock: Clock,
    private readonly rt: AcdRuntime,
    private readonly beatMs: number,
    private readonly ttlMs: number,
    private readonly onReport: (report: BeatReport) => void,
  ) {}

  get stats(): BeatStats {
    return { beats: this.beats, maxGapMs: this.maxGapMs, gapsOverTtl: this.gapsOverTtl, lost: this.lost };
  }

  /** One beat now; resolves with what the store said. */
  async beat(): Promise<BeatOutcome> {
    let continued: boolean;
    try {
      continued = await this.registry.beat(this.nodeId, { ttlMs: this.ttlMs, beatMs: this.beatMs });
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      this.onReport({ outcome: 'unreachable', err });
      return 'unreachable';
    }
    const at = this.clock.now();
    const gap = this.lastAck === undefined ? undefined : at - this.lastAck;
    if (gap !== undefined) {
      if (gap > this.maxGapMs) this.maxGapMs = gap;
      if (gap > this.ttlMs) this.gapsOverTtl += 1;
    }
    this.lastAck = at;
    this.beats += 1;
    if (!continued) this.lost += 1;
    const o: BeatOutcome = continued ? 'ok' : 'lost';
    this.onReport({ outcome: o, silentMs: gap });
    return o;
  }

  /** Every beatMs from now until the runtime stops. */
  run(): void {
    if (this.rt.isStopped) return;
    this.rt.arm(this.clock.now() + this.beatMs, 'cluster heartbeat', async () => {
      this.run();
      await this.beat();
    });
  }
}

/**
 * REGISTERs per source address in a fixed window: a phone re-registers every few minutes and
 * answers one challenge each time, while a flood (a scanner guessing passwords, a phone in a
 * retry loop) sends hundreds. Past the limit a source gets a plain refusal with no challenge —
 * no nonce, no secret lookup, no store — until its window ends. Pure: the instant comes in.
 * Memory is bounded: past `maxSources` the longest-tracked sources are forgotten first.
 */
export class SourceRate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxSources = 10_000,
  ) {}

  /** Counts `weight` requests from `source` at `now` (ms); false when the source is over its limit. */
  hit(source: string, now: number, weight = 1): boolean {
    let w = this.windows.get(source);
    if (w === undefined || now - w.start >= this.windowMs || now < w.start) {
      this.windows.delete(source);
      w = { start: now, count: 0 };
      this.windows.set(source, w);
      this.evict();
    }
    w.count += weight;
    return w.count <= this.limit;
  }

  get tracked(): number {
    return this.windows.size;
  }

  private evict(): void {
    for (const key of this.windows.keys()) {
      if (this.windows.size <= this.maxSources) return;
      this.windows.delete(key);
    }
  }
}

/**
 * Seeded randomness for the simulator: xoshiro128** (small, fast, good statistics) seeded
 * through splitmix32, and the distributions a profile can name. Same seed, same sequence, on
 * every machine: nothing here reads Math.random.
 */

export type Distribution =
  | { readonly dist: 'exponential'; readonly mean: number }
  | { readonly dist: 'lognormal'; readonly mean: number; readonly sd: number }
  | { readonly dist: 'fixed'; readonly value: number };

export type Sampler = (rng: Random) => number;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const next = splitmix32(seed);
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result / 4294967296;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal (Box–Muller; one of the pair is dropped to keep the stream simple). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson-process arrival instants in [from, to) at `perHour` calls an hour, in ms. */
  arrivals(from: number, to: number, perHour: number): number[] {
    const out: number[] = [];
    if (perHour <= 0) return out;
    const meanGapMs = 3_600_000 / perHour;
    for (let t = from + this.exponential(meanGapMs); t < to; t += this.exponential(meanGapMs)) out.push(t);
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A sampler of seconds for a named distribution (a lognormal given by its own mean and sd). */
export function sampler(d: Distribution): Sampler {
  switch (d.dist) {
    case 'fixed':
      return () => d.value;
    case 'exponential':
      return (rng) => rng.exponential(d.mean);
    case 'lognormal': {
      const sigma2 = Math.log(1 + (d.sd * d.sd) / (d.mean * d.mean));
      const mu = Math.log(d.mean) - sigma2 / 2;
      const sigma = Math.sqrt(sigma2);
      return (rng) => Math.exp(mu + sigma * rng.normal());
    }
  }
}

/** The distribution's mean, seconds (what Erlang formulas take). */
export function meanOf(d: Distribution): number {
  return d.dist === 'fixed' ? d.value : d.mean;
}

/**
 * Queueing formulas behind the first staffing guess: Erlang B, Erlang C (M/M/n, callers never
 * give up) and Erlang A (M/M/n+M, callers give up after an exponential patience).
 *
 * Numerical care: Erlang B by its recursion B(k) = a·B(k−1) / (k + a·B(k−1)) (no factorials,
 * stable for thousands of agents); Erlang C from B; Erlang A from the birth–death chain of the
 * number of callers in the system, computed in logarithms and truncated where the remaining
 * probability is below 1e-15. Rates are per second; `t` (the service-level threshold) in seconds.
 */

export interface QueueFigures {
  /** probability an arriving caller has to wait (no agent free) */
  readonly pWait: number;
  /** probability an arriving caller gives up before being answered (0 for Erlang C) */
  readonly pAbandon: number;
  /** answered within t ÷ arrivals */
  readonly serviceLevel: number;
  /** answered ÷ arrivals */
  readonly answerRate: number;
  /** mean wait of answered callers, seconds */
  readonly asa: number;
  /** fraction of agent time spent serving */
  readonly occupancy: number;
}

/** Blocking probability of n servers offered a Erlangs (lost calls cleared). */
export function erlangB(a: number, n: number): number {
  if (a < 0 || n < 0 || !Number.isInteger(n)) throw new RangeError(`erlangB(${a}, ${n})`);
  let b = 1;
  for (let k = 1; k <= n; k += 1) b = (a * b) / (k + a * b);
  return b;
}

/** Probability of waiting in M/M/n with a Erlangs offered; 1 when a ≥ n (the queue grows without bound). */
export function erlangC(a: number, n: number): number {
  if (n <= 0 || a >= n) return 1;
  const b = erlangB(a, n);
  return (n * b) / (n - a * (1 - b));
}

/** M/M/n: arrival rate λ, service rate μ (1 ÷ handle time), n agents, threshold t. */
export function erlangCFigures(lambda: number, mu: number, n: number, t: number): QueueFigures {
  const a = lambda / mu;
  if (lambda <= 0) return { pWait: 0, pAbandon: 0, serviceLevel: 1, answerRate: 1, asa: 0, occupancy: 0 };
  if (n <= 0 || a >= n) return { pWait: 1, pAbandon: 0, serviceLevel: 0, answerRate: 1, asa: Number.POSITIVE_INFINITY, occupancy: n <= 0 ? 0 : 1 };
  const c = erlangC(a, n);
  const drain = n * mu - lambda;
  return { pWait: c, pAbandon: 0, serviceLevel: 1 - c * Math.exp(-drain * t), answerRate: 1, asa: c / drain, occupancy: a / n };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7): enough for Poisson weights to 1e-13. */
export function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let s = c[0] ?? 1;
  for (let i = 1; i < g + 2; i += 1) s += (c[i] ?? 0) / (z + i);
  const tt = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(tt) - tt + Math.log(s);
}

/** Stationary distribution of the number in system, π_0..π_K, K where the tail is negligible. */
function stationary(lambda: number, mu: number, theta: number, n: number): Float64Array {
  const logs: number[] = [0];
  let max = 0;
  for (let k = 1; ; k += 1) {
    const death = Math.min(k, n) * mu + Math.max(k - n, 0) * theta;
    const l = (logs[k - 1] ?? 0) + Math.log(lambda / death);
    logs.push(l);
    if (l > max) max = l;
    // Past n the ratio keeps falling (θ > 0), so once far below the peak the rest is negligible.
    if (k > n && l - max < -40 && lambda < death) break;
    if (k > n + 1_000_000) throw new RangeError('erlangA: chain does not converge');
  }
  const p = new Float64Array(logs.length);
  let sum = 0;
  for (let k = 0; k < logs.length; k += 1) {
    const v = Math.exp((logs[k] ?? 0) - max);
    p[k] = v;
    sum += v;
  }
  for (let k = 0; k < p.length; k += 1) p[k] = (p[k] ?? 0) / sum;
  return p;
}

/**
 * P(answered within t | j callers ahead on arrival), for j = 0..J, in M/M/n+M: the caller moves
 * up at rate nμ + jθ (an answer, or one ahead giving up) and gives up at rate θ. Uniformised:
 * a Poisson-weighted sum over the steps of the embedded chain.
 */
function answeredWithin(mu: number, theta: number, n: number, maxAhead: number, t: number): Float64Array {
  const rate = (j: number) => n * mu + (j + 1) * theta;
  const big = rate(maxAhead);
  const lt = big * t;
  const out = new Float64Array(maxAhead + 1);
  if (lt <= 0) return out;
  const steps = Math.ceil(lt + 12 * Math.sqrt(lt) + 30);
  let v = new Float64Array(maxAhead + 1);
  let next = new Float64Array(maxAhead + 1);
  for (let m = 1; m <= steps; m += 1) {
    for (let j = 0; j <= maxAhead; j += 1) {
      const up = (n * mu + j * theta) / big;
      const stay = 1 - rate(j) / big;
      next[j] = up * (j === 0 ? 1 : (v[j - 1] ?? 0)) + stay * (v[j] ?? 0);
    }
    [v, next] = [next, v];
    // v holds P(answered within m steps); P(answered by t) = Σ_m P(m steps by t) · v.
    const w = Math.exp(-lt + m * Math.log(lt) - logGamma(m + 1));
    for (let j = 0; j <= maxAhead; j += 1) out[j] = (out[j] ?? 0) + w * (v[j] ?? 0);
  }
  return out;
}

/**
 * M/M/n+M (Erlang A): arrival rate λ, service rate μ, abandonment rate θ (1 ÷ mean patience),
 * n agents, threshold t. θ = 0 is Erlang C.
 */
export function erlangAFigures(lambda: number, mu: number, theta: number, n: number, t: number): QueueFigures {
  if (theta <= 0) return erlangCFigures(lambda, mu, n, t);
  if (lambda <= 0) return { pWait: 0, pAbandon: 0, serviceLevel: 1, answerRate: 1, asa: 0, occupancy: 0 };
  const p = stationary(lambda, mu, theta, n);
  const maxAhead = Math.max(0, p.length - 1 - n);
  const within = answeredWithin(mu, theta, n, maxAhead, t);
  let pWait = 0;
  let served = 0;
  let servedWithin = 0;
  let waitServed = 0;
  let busy = 0;
  // S_j = P(answered | j ahead), M_j = E[wait · 1{answered} | j ahead], built up from j = 0.
  let s = 1;
  let m = 0;
  for (let k = 0; k < p.length; k += 1) {
    const pk = p[k] ?? 0;
    busy += pk * Math.min(k, n);
    if (k < n) {
      served += pk;
      servedWithin += pk;
      continue;
    }
    const j = k - n;
    const r = n * mu + (j + 1) * theta;
    const up = (n * mu + j * theta) / r;
    m = up * (s / r + m);
    s = up * s;
    pWait += pk;
    served += pk * s;
    waitServed += pk * m;
    servedWithin += pk * (within[j] ?? 0);
  }
  return {
    pWait, pAbandon: 1 - served, serviceLevel: servedWithin, answerRate: served,
    asa: served > 0 ? waitServed / served : 0, occupancy: n > 0 ? busy / n : 0,
  };
}

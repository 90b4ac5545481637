/**
 * IPC between bench/overload.bench.ts (the router process) and bench/support/overload-peer-child.ts
 * (FreeSWITCH played by the wire-level test peer: the callers' outbound sockets and the inbound
 * ESL whose `status` reports the sessions it holds).
 */
export type ToOverloadPeer =
  /** Start the inbound ESL listener; `status` reports these limits. Answered with `ready`. */
  | { type: 'start'; id: number; maxSessions: number; sessionsPerSecond: number }
  /**
   * Offer calls at `rate` per second for `seconds` (open loop: one every 1000/rate ms, whatever the
   * router does); a caller taken by the router hangs up after a random 0–2×holdMeanMs. Answered
   * with `step` once every call of the step is decided.
   */
  | { type: 'ramp'; id: number; host: string; port: number; destination: string; rate: number; seconds: number; holdMeanMs: number }
  /** Every caller still up hangs up; answered with `done` once they are gone. */
  | { type: 'hangup-all'; id: number };

export interface StepResult {
  readonly offered: number;
  /** The router took the call (its first command reached the channel). */
  readonly accepted: number;
  /** The router closed the socket without a command: back to the dialplan (its fallback). */
  readonly shed: number;
  /** No connection, a dropped socket or no decision within 10 s. */
  readonly failed: number;
  /** Offer (socket connect started) → the router's decision on the wire, ms, ascending. */
  readonly latenciesMs: readonly number[];
  /** The most sessions `status` reported during the step. */
  readonly peakSessions: number;
  /** This process's CPU during the step, % of one core. */
  readonly cpuPercent: number;
}

export type FromOverloadPeer =
  | { type: 'ready'; id: number; eslPort: number }
  | { type: 'step'; id: number; result: StepResult }
  | { type: 'done'; id: number };

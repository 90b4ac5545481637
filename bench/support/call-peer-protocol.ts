/**
 * IPC between bench/call-sessions.bench.ts (the router process) and bench/support/call-peer.ts
 * (the FreeSWITCH stand-in, a child process). Times are `process.hrtime.bigint()` as decimal
 * strings: on Linux that is CLOCK_MONOTONIC, one clock for every process on the machine.
 */
export type ToPeer =
  /** Dial `count` calls to `destination`; `concurrency` calls at most between connect and hold music. */
  | { type: 'dial'; id: number; host: string; port: number; destination: string; count: number; concurrency: number }
  /** The caller of call `uuid` hangs up. */
  | { type: 'hangup'; uuid: string }
  /** Every caller still up hangs up; answered with `done` once every socket is closed. */
  | { type: 'hangup-all'; id: number }
  | { type: 'ping'; id: number }
  /** A young-generation collection now (between samples, so the stand-in's pauses stay out of them); answered with `done`. */
  | { type: 'gc'; id: number }
  | { type: 'memory'; id: number };

export type FromPeer =
  /** All `count` calls of dial `id` are on hold music. */
  | { type: 'dialed'; id: number; count: number; failed: number }
  /** The `sendmsg execute bridge` for call `uuid` was read off its socket at `t`. */
  | { type: 'bridge'; uuid: string; arg: string; t: string }
  | { type: 'done'; id: number }
  | { type: 'pong'; id: number; t: string }
  | { type: 'memory'; id: number; rss: number; heapUsed: number; calls: number };

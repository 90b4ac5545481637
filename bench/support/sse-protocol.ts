/** IPC between bench/sse-fanout.bench.ts and bench/support/sse-clients.ts. */
export type ToClients =
  /** Open `count` streams to `url`; answered with `ready` once each has its first snapshot. */
  | { type: 'connect'; id: number; url: string; count: number }
  /** Start counting from now; answered with `done`. */
  | { type: 'mark'; id: number }
  /** Snapshots each stream received since the mark; answered with `counts`. */
  | { type: 'report'; id: number };

export type FromClients =
  | { type: 'ready'; id: number; connected: number; failed: string[] }
  | { type: 'done'; id: number }
  /** per stream: snapshots since the mark and the longest wait between two (ms); bytes to all since the mark */
  | { type: 'counts'; id: number; counts: number[]; longestGaps: number[]; bytes: number; open: number };

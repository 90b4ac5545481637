/** Time comes into the pure core through this port: epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** Ids come into the pure core through this port. */
export interface IdGen {
  next(prefix: string): string;
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full help text shown by `hotline <name> --help`. */
  readonly help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Exit codes: 0 done / valid, 1 the input is wrong (invalid registry, rejected call), 2 usage. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

import { EslCommandError } from './codec/commands.js';

/** Stable error codes: callers (and /health) branch on these, never on messages. */
export const EslErrorCode = {
  /** The socket closed (or FreeSWITCH said goodbye) while the command was outstanding. */
  disconnected: 'ESL_ERR_DISCONNECTED',
  /** A command was issued while no connection was up (inbound client between reconnects). */
  notConnected: 'ESL_ERR_NOT_CONNECTED',
  /** The client/channel was closed by the router itself. */
  closed: 'ESL_ERR_CLOSED',
  /** Wrong ESL password: fatal configuration error, no reconnect. */
  auth: 'ESL_ERR_AUTH',
  /** FreeSWITCH's ACL refused our address (text/rude-rejection): fatal configuration error. */
  rudeRejection: 'ESL_ERR_RUDE_REJECTION',
  /** No reply within the command's deadline. */
  timeout: 'ESL_ERR_TIMEOUT',
  /** FreeSWITCH answered `-ERR …` (command/reply, api body or BACKGROUND_JOB body). */
  command: 'ESL_ERR_COMMAND',
  /** The call's channel hung up before the command completed / was accepted. */
  hangup: 'ESL_ERR_HANGUP',
  /** The peer sent something that is not ESL; the connection is dropped. */
  protocol: 'ESL_ERR_PROTOCOL',
  /** The command itself is malformed (e.g. a newline inside an api command). */
  invalidCommand: 'ESL_ERR_INVALID_COMMAND',
  /** Transport failure (connection refused, reset, ...). */
  socket: 'ESL_ERR_SOCKET',
} as const;

export type EslErrorCode = (typeof EslErrorCode)[keyof typeof EslErrorCode];

export class EslError extends Error {
  override readonly name = 'EslError';
  constructor(
    readonly code: EslErrorCode,
    message: string,
    /** FreeSWITCH's reply text or body, when the error carries one. */
    readonly reply?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isEslError(err: unknown, code?: EslErrorCode): err is EslError {
  return err instanceof EslError && (code === undefined || err.code === code);
}

/** True for the errors a reconnect cannot fix. */
export function isFatalEslError(err: unknown): err is EslError {
  return isEslError(err, EslErrorCode.auth) || isEslError(err, EslErrorCode.rudeRejection);
}

/** Runs a codec encoder, turning its EslCommandError into ESL_ERR_INVALID_COMMAND. */
export function encodeCommand(build: () => string): string {
  try {
    return build();
  } catch (err) {
    if (err instanceof EslCommandError) throw new EslError(EslErrorCode.invalidCommand, err.message, undefined, { cause: err });
    throw err;
  }
}

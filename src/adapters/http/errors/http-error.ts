/**
 * The one error body every HTTP answer carries — `{ statusCode, code, error, message }`, plus
 * the few documented extras (an agent's `state`) — and the error a handler throws to get it.
 * Handlers throw; the app's error handler (./error-contract.ts) writes the body.
 */
import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  /** the status's reason phrase: "Not Found" */
  readonly error: string;
  readonly message: string;
  readonly [extra: string]: unknown;
}

export function statusText(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

export function errorBody(statusCode: number, code: string, message: string, extra: Readonly<Record<string, unknown>> = {}): ErrorBody {
  return { ...extra, statusCode, code, error: statusText(statusCode), message };
}

/** A refusal a route decides itself: its status, stable code and message travel with it. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** documented extra fields of the body */
    readonly extra: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

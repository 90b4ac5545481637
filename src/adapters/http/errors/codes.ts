/**
 * Which HTTP status each error the server can meet gets, in one table per origin: the domain's
 * refusals (the app layer names them with stable `HOTLINE_ERR_*` codes and knows nothing of
 * HTTP), fastify's own errors (renamed into the same namespace), and what Node's HTTP parser
 * rejects before fastify sees a request.
 */
import type { AgentErrorCode } from '../../../app/acd/acd-model.js';
import type { InvalidCursorError } from '../../../app/records/records-db.js';
import type { TransferErrorCode } from '../../../app/transfer/index.js';

/** Domain error codes → status. `satisfies` keeps it exhaustive when a code is added. */
export const DOMAIN_STATUS = {
  HOTLINE_ERR_UNKNOWN_AGENT: 404,
  HOTLINE_ERR_AGENT_STATE: 409,
  HOTLINE_ERR_STORE_UNAVAILABLE: 503,
  HOTLINE_ERR_UNKNOWN_CALL: 404,
  HOTLINE_ERR_UNKNOWN_TARGET: 404,
  HOTLINE_ERR_TRANSFER_LIMIT: 409,
  HOTLINE_ERR_TARGET_CLOSED: 409,
  HOTLINE_ERR_TRANSFER_STATE: 409,
  HOTLINE_ERR_CALL_STATE: 409,
  HOTLINE_ERR_TRANSFER_FAILED: 502,
  HOTLINE_ERR_CALL_OWNER_GONE: 503,
  HOTLINE_ERR_CALL_OWNER_UNREACHABLE: 503,
  HOTLINE_ERR_BAD_CURSOR: 400,
} as const satisfies Record<AgentErrorCode | TransferErrorCode | InvalidCursorError['code'], number>;

export type DomainErrorCode = keyof typeof DOMAIN_STATUS;

export function isDomainCode(code: unknown): code is DomainErrorCode {
  return typeof code === 'string' && Object.hasOwn(DOMAIN_STATUS, code);
}

/**
 * Errors of lower layers that are not the caller's fault but have a meaning: the Redis store's
 * own error (adapters/store/redis) is the same "shared state unreachable, retry" as the ACD's.
 */
export const LOWER_LAYER_CODES: Readonly<Record<string, { statusCode: number; code: string; message: string }>> = {
  'store-unavailable': { statusCode: 503, code: 'HOTLINE_ERR_STORE_UNAVAILABLE', message: 'the shared state store is unreachable; try again' },
};

/** fastify's error codes → ours. The schema's 400 keeps its documented `FST_ERR_VALIDATION`. */
export const FRAMEWORK_CODES: Readonly<Record<string, string>> = {
  FST_ERR_VALIDATION: 'FST_ERR_VALIDATION',
  FST_ERR_CTP_BODY_TOO_LARGE: 'HOTLINE_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'HOTLINE_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'HOTLINE_ERR_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'HOTLINE_ERR_MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'HOTLINE_ERR_BAD_REQUEST',
  FST_ERR_BAD_URL: 'HOTLINE_ERR_BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'HOTLINE_ERR_URI_TOO_LONG',
  FST_ERR_HANDLER_TIMEOUT: 'HOTLINE_ERR_TIMEOUT',
};

/** When nothing more precise is known: the status's own code. */
export const STATUS_CODES_FALLBACK: Readonly<Record<number, string>> = {
  400: 'HOTLINE_ERR_BAD_REQUEST',
  401: 'HOTLINE_ERR_UNAUTHENTICATED',
  403: 'HOTLINE_ERR_FORBIDDEN',
  404: 'HOTLINE_ERR_NOT_FOUND',
  405: 'HOTLINE_ERR_METHOD_NOT_ALLOWED',
  406: 'HOTLINE_ERR_NOT_ACCEPTABLE',
  408: 'HOTLINE_ERR_REQUEST_TIMEOUT',
  413: 'HOTLINE_ERR_BODY_TOO_LARGE',
  414: 'HOTLINE_ERR_URI_TOO_LONG',
  415: 'HOTLINE_ERR_UNSUPPORTED_MEDIA_TYPE',
  431: 'HOTLINE_ERR_HEADERS_TOO_LARGE',
  500: 'HOTLINE_ERR_INTERNAL',
  503: 'HOTLINE_ERR_UNAVAILABLE',
};

export function fallbackCode(statusCode: number): string {
  return STATUS_CODES_FALLBACK[statusCode] ?? (statusCode >= 500 ? 'HOTLINE_ERR_INTERNAL' : 'HOTLINE_ERR_BAD_REQUEST');
}

/** Node's HTTP parser's refusals (the `clientError` event), answered on the raw socket. */
export function clientErrorStatus(nodeCode: string | undefined): { statusCode: number; code: string; message: string } {
  switch (nodeCode) {
    case 'HPE_HEADER_OVERFLOW':
      return { statusCode: 431, code: 'HOTLINE_ERR_HEADERS_TOO_LARGE', message: 'the request headers are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { statusCode: 408, code: 'HOTLINE_ERR_REQUEST_TIMEOUT', message: 'the request was not received in time' };
    default:
      return { statusCode: 400, code: 'HOTLINE_ERR_MALFORMED_REQUEST', message: 'the request is not valid HTTP' };
  }
}

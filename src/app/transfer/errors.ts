/** Refusals and failures of transfer operations, with the stable codes the HTTP API returns. */
import type { RefusalCode } from '../../core/transfer/index.js';

export type TransferErrorCode =
  | RefusalCode
  | 'HOTLINE_ERR_UNKNOWN_CALL'
  /** The call exists but is not talking to a 12345 agent. */
  | 'HOTLINE_ERR_CALL_STATE'
  /** FreeSWITCH refused a step; the caller was given back to the agent where possible. */
  | 'HOTLINE_ERR_TRANSFER_FAILED'
  /** The shared state (Redis) cannot be reached: the at-most-once history cannot be checked. */
  | 'HOTLINE_ERR_STORE_UNAVAILABLE'
  /** Another node holds the call and is gone (its heartbeat expired, nobody listens on its channel). */
  | 'HOTLINE_ERR_CALL_OWNER_GONE'
  /** Another node holds the call and did not answer in time. */
  | 'HOTLINE_ERR_CALL_OWNER_UNREACHABLE';

export class TransferError extends Error {
  override readonly name = 'TransferError';
  constructor(readonly code: TransferErrorCode, message: string) {
    super(message);
  }
}

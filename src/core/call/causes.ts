/**
 * SIP status of a routing rejection → the FreeSWITCH hangup cause that mod_sofia turns back into
 * that status (hangup_cause_to_sip in src/mod/endpoints/mod_sofia/mod_sofia.c). CALL_REJECTED
 * would go out as 603 Decline, so 403 uses INCOMING_CALL_BARRED, which mod_sofia sends as 403.
 */
const BY_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_NUMBER_FORMAT', // → 484 Address Incomplete: the closest a cause gets to "malformed"
  403: 'INCOMING_CALL_BARRED', // → 403 Forbidden
  404: 'UNALLOCATED_NUMBER', // → 404 Not Found
  480: 'NO_ANSWER',
  486: 'USER_BUSY',
  503: 'NORMAL_TEMPORARY_FAILURE',
  603: 'CALL_REJECTED',
};

export function rejectCause(sipStatus: number): string {
  return BY_STATUS[sipStatus] ?? 'CALL_REJECTED';
}

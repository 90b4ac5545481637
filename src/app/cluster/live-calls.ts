/**
 * The calls in conversation, in the shared state: which node holds each one's FreeSWITCH socket
 * and which channels it has. Two uses:
 *
 *  - any node acts on any call: a node asked about a call it does not hold finds the owner here
 *    and forwards the request to it (./call-rpc.ts);
 *  - a dead node leaves no agent stuck: an agent on-call whose call's owner is gone is checked
 *    against FreeSWITCH by the channel uuids kept here (./agent-reconcile.ts).
 *
 * A record is written when the agent answers and removed when the call's record is written; the
 * records of a node that died are removed by the reconciliation (or expire after a day).
 */

export interface LiveCall {
  readonly callSid: string;
  /** The router node holding the call's outbound socket. */
  readonly node: string;
  readonly callerUuid: string;
  /** The 12345 agent's leg (the bridge's far end). */
  readonly agentUuid: string | undefined;
  readonly agentId: string | undefined;
  /** The FreeSWITCH holding its channels (switchname); only that one can tell whether they exist. */
  readonly freeswitch?: string | undefined;
}

export interface LiveCallView extends LiveCall {
  /** The owner's heartbeat is there (always true on one node). */
  readonly ownerAlive: boolean;
}

export interface LiveCallDirectory {
  put(call: LiveCall): Promise<void>;
  get(callSid: string): Promise<LiveCallView | undefined>;
  /** The call whose agent leg (or caller leg) is this channel. */
  byLeg(uuid: string): Promise<string | undefined>;
  remove(callSid: string): Promise<void>;
}

/**
 * 来电最多接转一次, across nodes and restarts: a caller's one hand-over (a completed
 * non-emergency transfer), keyed by the caller's FreeSWITCH channel — the channel outlives a
 * router node, and a caller taken back by another node after a crash is the same caller.
 */
export interface TransferHistory {
  /** The target the caller was handed over to, if any. */
  handedTo(callerUuid: string): Promise<string | undefined>;
  /**
   * Records the hand-over atomically; false when the caller was already handed over by another
   * call. Claiming again for the same call is true (idempotent).
   */
  claim(callerUuid: string, callSid: string, target: string): Promise<boolean>;
}

/** Longer than any call: a hand-over is remembered for a day. */
export const TRANSFER_HISTORY_TTL_MS = 24 * 3600 * 1000;
/** A live-call record of a node that died and nobody cleared goes after this. */
export const LIVE_CALL_TTL_MS = 24 * 3600 * 1000;

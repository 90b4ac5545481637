/**
 * What a call session needs from the media server, in call terms. The ESL adapter
 * (src/adapters/esl/media-control.ts) implements it over one outbound socket; unit tests fake it.
 *
 * Every method sends its command to the media server synchronously, before its first await:
 * calling them one after another puts the commands on the wire in that order even when their
 * promises are not awaited (the session relies on it: break the music, then bridge).
 */

export type BridgeOutcome =
  /**
   * The far end answered; `ended` settles when the bridge is over. `farUuid`: the far end's
   * channel (the agent leg a transfer moves into its conference), when the media server says.
   */
  | { readonly kind: 'answered'; readonly ended: Promise<BridgeEnd>; readonly farUuid?: string }
  | { readonly kind: 'no-answer' | 'busy' | 'failed'; readonly cause: string };

export interface BridgeEnd {
  /** The far end's hangup cause (bridge_hangup_cause), or the caller's if the caller went first. */
  readonly cause: string;
  /** The caller hung up (or the socket went): there is nobody left for a survey. */
  readonly callerGone: boolean;
}

export interface MediaControl {
  /** The FreeSWITCH channel uuid. */
  readonly uuid: string;
  /** True once the caller hung up or the socket closed: later failures are expected, not errors. */
  readonly gone: boolean;
  answer(): Promise<void>;
  /** Plays the files in order; resolves when done or broken off. */
  play(files: readonly string[]): Promise<void>;
  /** Music on hold from `source` until breakMedia (a file is looped); resolves when stopped. */
  hold(source: string): Promise<void>;
  /** Stops whatever is playing and drops queued media at once. */
  breakMedia(): Promise<void>;
  /** Rings `dial` for at most ringSeconds (caller hears music); the caller leg survives the far end hanging up. */
  bridge(dial: string, ringSeconds: number): Promise<BridgeOutcome>;
  /**
   * Plays the prompt and waits up to timeoutMs for one key. Resolves with the key (a key outside
   * `valid` too, so the caller can be re-prompted) or null when none was pressed.
   */
  collectDigit(files: readonly string[], timeoutMs: number, valid: string): Promise<string | null>;
  hangup(cause: string): Promise<void>;
  /** Hands the call back to the dialplan without hanging up (its fallback reaches the 7×24 pool). */
  release(): Promise<void>;
  /** At most once: the caller hung up or the media server dropped the call. */
  onHangup(listener: (cause: string) => void): void;
  onDtmf(listener: (digit: string) => void): void;
}

/**
 * An agent who hangs up, heard from the agent leg itself. The caller's `bridge` application
 * returns only when the caller's own thread notices the far end is gone — at its next media
 * frame, ~20–30 ms after FreeSWITCH answered the agent's BYE (traced on 1.10.12) — and that
 * completion is what frees the agent on the caller's socket. The agent leg's CHANNEL_HANGUP
 * reaches the router's inbound link first, so a bridge watches its far leg here and ends as
 * soon as that leg says its own side hung up.
 *
 * Only a hang-up the far side made counts: sofia sets `sip_term_status` on a leg it hangs up
 * itself — a BYE received (sofia.c sofia_handle_sip_i_bye, which under MANUAL_BYE hangs up before
 * it sets `sip_hangup_disposition`, so that one is not there yet) or the dialog ending from the
 * network (sofia_handle_sip_i_state, nua_callstate_terminated) — before the hang-up fires
 * CHANNEL_HANGUP. When the caller leaves first, FreeSWITCH's core hangs the agent leg up and
 * sofia has set nothing yet (seen on 1.10.12 in a pcap of the inbound link); that end is the
 * caller's, which the caller's socket reports. Anything else — no inbound link, an event lost,
 * another endpoint — leaves the bridge's own completion to end it, as before.
 */
import type { FsEvent } from './codec/types.js';

/** The part a bridge needs: watch one far leg until its bridge is over. */
export interface FarLegWatch {
  /** Calls `ended` at most once with the leg's hangup cause; returns the unwatch. */
  watch(uuid: string, ended: (cause: string) => void): () => void;
}

export class FarLegHangups implements FarLegWatch {
  private readonly watched = new Map<string, (cause: string) => void>();

  /** Bridges being watched now (each is removed when its bridge completes). */
  get size(): number {
    return this.watched.size;
  }

  watch(uuid: string, ended: (cause: string) => void): () => void {
    this.watched.set(uuid, ended);
    return () => {
      if (this.watched.get(uuid) === ended) this.watched.delete(uuid);
    };
  }

  /** Every event of an inbound link; only a watched leg's CHANNEL_HANGUP by its own (SIP) side acts. */
  feed(e: FsEvent): void {
    if (e.name !== 'CHANNEL_HANGUP') return;
    const uuid = e.headers['Unique-ID'];
    if (uuid === undefined) return;
    const ended = this.watched.get(uuid);
    if (ended === undefined || e.headers['variable_sip_term_status'] === undefined) return;
    this.watched.delete(uuid);
    ended(e.headers['Hangup-Cause'] ?? 'NORMAL_CLEARING');
  }
}

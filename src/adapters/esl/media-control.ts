/**
 * MediaControl over one outbound ESL socket. FreeSWITCH behaviour this relies on (read in
 * signalwire/freeswitch):
 * - mod_dptools.c audio_bridge_function: `bridge` returns only when the bridged call is over, or
 *   at once when the originate fails; on failure it sets `originate_failed_cause` and calls
 *   switch_channel_handle_cause, which HANGS UP THE CALLER for any cause but NO_ANSWER /
 *   NO_USER_RESPONSE / ORIGINATOR_CANCEL unless `continue_on_fail` is set (switch_channel.c).
 * - switch_ivr_bridge.c: CHANNEL_BRIDGE is fired for the caller leg when the agent answers;
 *   afterwards `bridge_hangup_cause` holds the far end's cause. With `hangup_after_bridge=false`
 *   the caller leg stays in CS_EXECUTE and `bridge` returns into the socket application's park
 *   loop (mod_event_socket.c socket_function → switch_ivr_park), so the survey runs on it.
 *   NOT `park_after_bridge=true`: that sets CS_PARK + CF_TRANSFER (switch_ivr_park_session);
 *   seen on FreeSWITCH 1.10.12 with the router killed mid-call, the caller then sat in
 *   "Standard PARK" forever once the agent hung up. Without it, the park loop ends when the
 *   socket is gone (the listener clears CF_CONTROLLED) and the dialplan's fallback hangs up a
 *   caller who has already talked to an agent (`${last_bridge_to}` set).
 * - switch_channel.c switch_channel_event_set_extended_data: CHANNEL_EXECUTE_COMPLETE carries
 *   every channel variable as `variable_*`, so results are read from the completion event.
 * - switch_ivr_originate.c: `originate_timeout` / `leg_timeout` bound the ringing;
 *   `ignore_early_media=ring_ready` and, for an answered caller, `transfer_ringback` (else
 *   `ringback`) give the caller music instead of the agent's early media.
 * - mod_dptools.c endless_playback loops while the channel is up and ignores uuid_break, so hold
 *   music is `playback` (which returns on a break) re-issued by us; `playback_terminators=none`
 *   keeps a caller's key press from ending it.
 * - mod_commands.c break_function: `uuid_break <uuid> all` stops the playing file and flushes
 *   queued applications — so the bridge must be written after it, never before (see breakMedia).
 * - switch_ivr_play_say.c switch_play_and_get_digits: with a regex, a non-matching key leaves the
 *   variable unset and sets `<var>_invalid`.
 */
import type { BridgeEnd, BridgeOutcome, MediaControl } from '../../app/call/media-port.js';
import type { CallChannel } from './call-channel.js';
import type { FsEvent } from './codec/types.js';
import { EslError, EslErrorCode } from './errors.js';
import type { FarLegWatch } from './far-leg-hangups.js';
import { callerLegSettings, settingsApplications } from '../../dialplan/caller-leg.js';

const DIGIT_VAR = 'hotline_digit';
const NO_ANSWER = new Set(['NO_ANSWER', 'NO_USER_RESPONSE', 'ALLOTTED_TIMEOUT', 'RECOVERY_ON_TIMER_EXPIRE', 'PROGRESS_TIMEOUT']);
const BUSY = new Set(['USER_BUSY', 'CALL_REJECTED', 'BUSY_EVERYWHERE', 'DECLINE']);

export interface EslMediaOptions {
  /** What the caller hears while an agent rings (transfer_ringback). */
  ringback?: string;
  /** The agent leg's own hang-up, from the inbound link: ends a bridge before its completion does (far-leg-hangups.ts). */
  farLegs?: FarLegWatch;
}

/** Several files as one FreeSWITCH file argument. */
function fileArg(files: readonly string[]): string {
  if (files.length === 0) throw new EslError(EslErrorCode.invalidCommand, 'nothing to play');
  for (const f of files) {
    if (/\s|!/.test(f)) throw new EslError(EslErrorCode.invalidCommand, `prompt file names must not contain spaces or '!': ${JSON.stringify(f)}`);
  }
  return files.length === 1 ? (files[0] ?? '') : `file_string://${files.join('!')}`;
}

/** Our ring timeout goes in front of whatever `{…}` the registry's dial string already has. */
export function bridgeArg(dial: string, ringSeconds: number): string {
  const s = Math.max(1, Math.round(ringSeconds));
  const vars = `originate_timeout=${s},leg_timeout=${s},ignore_early_media=ring_ready`;
  return dial.startsWith('{') ? `{${vars},${dial.slice(1)}` : `{${vars}}${dial}`;
}

export function failureKind(cause: string): 'no-answer' | 'busy' | 'failed' {
  if (NO_ANSWER.has(cause)) return 'no-answer';
  return BUSY.has(cause) ? 'busy' : 'failed';
}

export class EslMediaControl implements MediaControl {
  private prepared = false;
  /** Bumped by breakMedia: a hold loop started earlier stops re-issuing its music. */
  private holdToken = 0;
  /** Playbacks in flight: a uuid_break with nothing playing would leave CF_BREAK set and cut the next prompt. */
  private playing = 0;

  constructor(private readonly channel: CallChannel, private readonly opts: EslMediaOptions = {}) {}

  get uuid(): string {
    return this.channel.uuid;
  }

  get gone(): boolean {
    return this.channel.hungUp !== undefined || !this.channel.isOpen;
  }

  /**
   * Resolves once the answer is written, before FreeSWITCH's reply to it. Under `socket … async`
   * a channel runs queued applications only when its park loop comes round: every 20 ms on a
   * caller not yet answered (switch_ivr.c switch_ivr_park: switch_yield(20000), then
   * switch_ivr_parse_all_events). A bridge to an idle agent written in the same turn as the answer
   * runs in the same pass; one written after the answer's reply came back missed that pass
   * whenever the router's turn crossed it, and waited another 20 ms. A failed answer means the
   * channel is gone: its hang-up ends the call, as before.
   */
  answer(): Promise<void> {
    this.prepare();
    const reply = this.channel.executeAsync('answer');
    reply.catch(() => undefined);
    // A socket already gone has nothing to answer: that failure is the caller's.
    return this.gone ? reply.then(() => undefined) : Promise.resolve();
  }

  async play(files: readonly string[]): Promise<void> {
    await this.playback(fileArg(files));
  }

  async hold(source: string): Promise<void> {
    const token = ++this.holdToken;
    const arg = fileArg([source]);
    // An idle agent is assigned in the same turn of the event loop as the enqueue that starts
    // this music: let that happen first, so its break finds nothing playing and the bridge goes
    // out at once — instead of a playback FreeSWITCH starts, a uuid_break round trip, and the
    // media tick the playback takes to notice the break, all before the agent's phone rings.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // A stream (local_stream://) plays until broken; a file is played again until then.
    while (token === this.holdToken && !this.gone) {
      const done = await this.playback(arg);
      const response = done.headers['Application-Response'] ?? '';
      if (response !== 'FILE PLAYED') throw new EslError(EslErrorCode.command, `hold music ${source}: ${response || 'no response'}`);
    }
  }

  /**
   * Resolves once the break is written, not when FreeSWITCH has answered it. mod_event_socket
   * runs an `api` inline in the socket's reader (parse_command → api_exec) before it reads the
   * next command, so a bridge written right behind the break is queued after the flush and never
   * flushed by it; waiting for the reply only put a router round trip between an agent coming
   * free and the caller's bridge. A break that fails means the channel is gone: its hang-up ends
   * the call.
   */
  breakMedia(): Promise<void> {
    this.holdToken += 1;
    if (this.playing > 0) this.channel.api(`uuid_break ${this.channel.uuid} all`).catch(() => undefined);
    return Promise.resolve();
  }

  async bridge(dial: string, ringSeconds: number): Promise<BridgeOutcome> {
    this.prepare();
    let bridged = false;
    let answered: ((o: BridgeOutcome) => void) | undefined;
    let farHungUp: ((end: BridgeEnd) => void) | undefined;
    let unwatch: (() => void) | undefined;
    const onEvent = (e: FsEvent): void => {
      if (e.name !== 'CHANNEL_BRIDGE' || (e.uuid !== undefined && e.uuid !== this.uuid) || bridged) return;
      bridged = true;
      const farUuid = e.headers['Other-Leg-Unique-ID'];
      if (farUuid !== undefined) unwatch = this.opts.farLegs?.watch(farUuid, (cause) => farHungUp?.({ cause, callerGone: this.gone }));
      answered?.(farUuid === undefined ? { kind: 'answered', ended } : { kind: 'answered', ended, farUuid });
    };
    this.channel.on('event', onEvent);
    const completion = this.channel.execute('bridge', bridgeArg(dial, ringSeconds));
    const settled = completion.finally(() => {
      this.channel.off('event', onEvent);
      unwatch?.();
    });
    // Whichever comes first: the agent leg's own hang-up, or the bridge application returning.
    const ended = Promise.race([
      new Promise<BridgeEnd>((resolve) => { farHungUp = resolve; }),
      settled.then(
        (e): BridgeEnd => ({ cause: e.headers['variable_bridge_hangup_cause'] ?? e.headers['variable_last_bridge_hangup_cause'] ?? 'NORMAL_CLEARING', callerGone: this.gone }),
        (): BridgeEnd => ({ cause: this.channel.hungUp?.cause ?? 'UNKNOWN', callerGone: true }),
      ),
    ]);
    return new Promise<BridgeOutcome>((resolve, reject) => {
      answered = resolve;
      settled.then((e) => {
        if (bridged) return;
        const cause = e.headers['variable_originate_failed_cause'] ?? e.headers['variable_originate_disposition'] ?? 'UNKNOWN';
        resolve({ kind: failureKind(cause), cause });
      }, (err: unknown) => {
        if (!bridged) reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  async collectDigit(files: readonly string[], timeoutMs: number, valid: string): Promise<string | null> {
    if (!/^[0-9*#]+$/.test(valid)) throw new EslError(EslErrorCode.invalidCommand, `valid digits: ${JSON.stringify(valid)}`);
    const regex = `^[${valid.replace(/[*#]/g, '\\$&')}]$`;
    // min max tries timeout terminators prompt bad-input-file var regex
    const arg = `1 1 1 ${Math.max(1000, Math.round(timeoutMs))} none ${fileArg(files)} silence_stream://250 ${DIGIT_VAR} ${regex}`;
    this.playing += 1;
    try {
      const e = await this.channel.execute('play_and_get_digits', arg);
      return e.headers[`variable_${DIGIT_VAR}`] || e.headers[`variable_${DIGIT_VAR}_invalid`] || null;
    } finally {
      this.playing -= 1;
    }
  }

  async hangup(cause: string): Promise<void> {
    await this.channel.hangup(cause);
  }

  async release(): Promise<void> {
    await this.channel.close();
  }

  onHangup(listener: (cause: string) => void): void {
    const gone = this.channel.hungUp;
    if (gone !== undefined) {
      queueMicrotask(() => listener(gone.cause));
      return;
    }
    this.channel.once('hangup', (info) => listener(info.cause));
  }

  onDtmf(listener: (digit: string) => void): void {
    this.channel.on('event', (e) => {
      const digit = e.name === 'DTMF' ? e.headers['DTMF-Digit'] : undefined;
      if (digit !== undefined) listener(digit);
    });
  }

  private async playback(arg: string): Promise<FsEvent> {
    this.playing += 1;
    try {
      return await this.channel.execute('playback', arg);
    } finally {
      this.playing -= 1;
    }
  }

  /**
   * Caller-leg settings (src/dialplan/caller-leg.ts), sent once before the first answer or bridge
   * (they queue ahead of it), and only those the dialplan did not already set: the generated one
   * sets them all, so a call costs no application here.
   */
  private prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    const data = this.channel.channelData;
    const missing = callerLegSettings(this.opts.ringback).filter(([k, v]) => data[`variable_${k}`] !== v);
    if (missing.length === 0) return;
    for (const [app, arg] of settingsApplications(missing)) this.channel.execute(app, arg).catch(() => undefined);
  }
}

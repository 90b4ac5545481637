/**
 * TransferControl over the inbound ESL connection: three-party transfers with one mod_conference
 * conference per call, `hotline-<callSid>`, driven by `api`/`bgapi` only. Chosen because every
 * leg stays addressable by uuid or channel variable, and nothing runs on the caller's outbound
 * socket while the transfer owns the call. What it relies on (signalwire/freeswitch v1.10):
 *
 * consult — caller and agent leave their bridge together and enter the conference:
 *   `uuid_transfer <caller> -both conference:<conf>@<profile>,set:park_timeout=…,park inline`
 *   mod_commands.c transfer_function: `-both` sets CF_REDIRECT on both legs and transfers the
 *   bridge partner (`bridge_to`) to the same destination. Moving only one leg would hang the
 *   other up: switch_ivr_bridge.c audio_bridge_on_exchange_media hangs up a leg whose partner
 *   left unless it has park_after_bridge (the agent leg has not).
 *   The caller is moved out of the `socket` application: the dialplan's action after `socket`
 *   must be `execute_extension`, not `transfer`, or it races this transfer (src/dialplan/generate.ts).
 *   The caller was set before (uuid_setvar_multi) `hangup_after_conference=false` (mod_conference.c
 *   conference_thread_run hangs every member up when the conference ends, unless this is false)
 *   and `conference_member_flags=endconf|mintwo` (conference_utils_combine_flag_var: member flags
 *   from a channel variable; conference_member.c conference_member_del: an `endconf` member leaving
 *   ends the conference, so the target and agent are hung up when the caller goes; `mintwo` sets
 *   the conference's min to 2, and once two were in, fewer than two ends it — so a caller left
 *   alone, the seat gone, comes out of the conference even when no router is there to kick it).
 *   After the conference the caller `park`s with `park_timeout=<HANDOVER_PARK_SECONDS>:NORMAL_CLEARING`
 *   (switch_ivr.c switch_ivr_park: read once when the park starts, then unset; when it expires the
 *   channel is hung up with that cause). That bound is the safety net for a dead router: a park
 *   that starts after the outbound-socket listener is gone is never ended by anything else
 *   (mod_event_socket.c listener_run clears CF_CONTROLLED on its way out, which ends only a park
 *   already running; the new park sets CF_CONTROLLED again itself).
 *   Hold = `conference <conf> deaf hotline_leg=caller` + `hold hotline_leg=caller <music>`:
 *   conference_api.c CONF_API_SUB_MEMBER_TARGET accepts `<var>=<value>` (conference_member_get_by_var),
 *   so members are addressed by the `hotline_leg` variable we set, never by member ids;
 *   `hold` hard-mutes the caller and plays the file to that member only; a deaf member gets the
 *   mix replaced by silence before its own file is added (conference_loop_output), so the caller
 *   hears only the music. The transfer is asynchronous: the member commands are retried until
 *   the caller is in the conference (`-ERR Conference … not found` / `-ERR Non-Existant member`).
 * target — `bgapi originate {origination_uuid=…,originate_timeout=N,…}<dial> &conference(<conf>@<profile>)`
 *   mod_commands.c originate_function answers `+OK <uuid>` once answered, `-ERR <CAUSE>` otherwise
 *   (NO_ANSWER, USER_BUSY, …). Our own origination_uuid lets us cancel the ringing (`uuid_kill`).
 * three-way — `unhold` (clears the hard mute, stops the member's files) + `undeaf` of the caller.
 * complete — `uuid_kill <agent>`: the agent leaves; caller and target stay in the conference.
 *   (Not `conference kick`: a kicked agent would run the next inline apps, `park`.)
 * cancel — `uuid_kill <target>`; caller off hold: caller and agent talk on in the conference.
 * release — the live router takes the caller back before the survey:
 *   `uuid_transfer <caller> set:park_timeout=…,set:hotline_parked=<token>,park inline`, whether
 *   the caller is still in the conference or already in the bounded park. Executes sent over the
 *   outbound socket run inside this park (switch_ivr_park → switch_ivr_parse_all_events, between
 *   which the expiry is checked), so the survey and goodbye must not run in the short handover
 *   park: this one is bounded at RELEASED_PARK_SECONDS only. If the router dies during the survey, the listener clears
 *   CF_CONTROLLED, the park ends and the inline dialplan has nothing left: FreeSWITCH hangs up
 *   (switch_core_state_machine.c standard_on_execute, "executed the last dialplan instruction").
 *   The caller leaving, an `endconf` member, ends the conference as a kick would. We wait for
 *   `hotline_parked` before returning: an execute queued while the channel is being transferred
 *   (not ready) would be parsed by the leaving conference loop or park and return at once.
 *
 * Not used: att_xfer / three_way run as applications on a leg we do not control (the agent's);
 * `uuid_bridge` re-bridging after a cancel would leave no event for the session when the agent
 * hangs up; `uuid_break all` on the caller would flush the session's queued applications.
 * Hang-ups come from CHANNEL_HANGUP on the inbound connection (the router subscribes to it: src/compose/freeswitch.ts).
 */
import { randomUUID } from 'node:crypto';
import type { CallLegs, DialOutcome, DialRequest, TransferControl } from '../../app/transfer/ports.js';
import type { BgapiResult } from './jobs.js';
import type { FsEvent } from './codec/types.js';
import { failureKind } from './media-control.js';

/** The part of InboundEslClient this needs (tests pass the real client against the FreeSWITCH peer). */
export interface EslApiPort {
  api(command: string): Promise<string>;
  bgapi(command: string): Promise<BgapiResult>;
  on(event: 'event', listener: (e: FsEvent) => void): unknown;
  off(event: 'event', listener: (e: FsEvent) => void): unknown;
}

export interface EslTransferOptions {
  /** mod_conference profile (freeswitch-conf conference.conf.xml: `hotline`, caller-controls none, no sounds). */
  readonly profile?: string;
  /** What the caller hears on hold. */
  readonly holdMusic?: string;
  /** How long to wait for the caller to appear in the conference, or in its park after a release. */
  readonly joinTimeoutMs?: number;
  readonly retryMs?: number;
}

/**
 * How long a caller parked after its conference (the seat or agent gone) waits for the router to
 * take it back before FreeSWITCH hangs it up. The live router does within milliseconds.
 */
export const HANDOVER_PARK_SECONDS = 20;
/** The bound on the park the router runs the survey in: far above a survey (2 prompts, 10 s each). */
export const RELEASED_PARK_SECONDS = 300;

const CALLER = 'hotline_leg=caller';
const SAFE = /^[A-Za-z0-9_.@:/+=-]+$/;

function safe(what: string, value: string): string {
  if (!SAFE.test(value)) throw new Error(`transfer: ${what} ${JSON.stringify(value)} has characters FreeSWITCH would split on`);
  return value;
}

/** Our variables go in front of whatever `{…}` the registry's dial string has. */
export function originateArg(vars: Readonly<Record<string, string>>, dial: string): string {
  const list = Object.entries(vars).map(([k, v]) => `${k}=${safe(k, v)}`).join(',');
  return dial.startsWith('{') ? `{${list},${dial.slice(1)}` : `{${list}}${dial}`;
}

export function dialOutcome(cause: string): DialOutcome {
  const kind = failureKind(cause);
  return { kind: kind === 'failed' ? 'unreachable' : kind, cause };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => { setTimeout(resolve, ms).unref(); });

export class EslTransferControl implements TransferControl {
  private readonly profile: string;
  private readonly music: string;

  constructor(private readonly esl: EslApiPort, private readonly opts: EslTransferOptions = {}) {
    this.profile = safe('profile', opts.profile ?? 'hotline');
    this.music = safe('hold music', opts.holdMusic ?? 'local_stream://moh');
  }

  async enterConference(legs: CallLegs): Promise<{ agentUuid: string }> {
    const conf = this.conf(legs);
    const agentUuid = legs.agentUuid ?? (await this.esl.api(`uuid_getvar ${legs.callerUuid} bridge_to`)).trim();
    if (agentUuid === '' || agentUuid === '_undef_') throw new Error(`caller ${legs.callerUuid} is not bridged to an agent`);
    await this.esl.api(`uuid_setvar_multi ${legs.callerUuid} hotline_leg=caller;hotline_call=${safe('call', legs.callSid)};hangup_after_conference=false;conference_member_flags=endconf|mintwo`);
    await this.esl.api(`uuid_setvar_multi ${agentUuid} hotline_leg=agent;hotline_call=${legs.callSid}`);
    await this.esl.api(`uuid_transfer ${legs.callerUuid} -both conference:${conf}@${this.profile},set:park_timeout=${HANDOVER_PARK_SECONDS}:NORMAL_CLEARING,park inline`);
    await this.holdCaller(legs);
    return { agentUuid };
  }

  async holdCaller(legs: CallLegs): Promise<void> {
    const conf = this.conf(legs);
    await this.memberCommand(`conference ${conf} deaf ${CALLER}`);
    await this.esl.api(`conference ${conf} hold ${CALLER} ${this.music}`);
  }

  async unholdCaller(legs: CallLegs): Promise<void> {
    const conf = this.conf(legs);
    await this.esl.api(`conference ${conf} unhold ${CALLER}`);
    await this.esl.api(`conference ${conf} undeaf ${CALLER}`);
  }

  dialTarget(legs: CallLegs, req: DialRequest): { uuid: string; outcome: Promise<DialOutcome> } {
    const uuid = randomUUID();
    const ring = String(Math.max(1, Math.round(req.ringSeconds)));
    const vars: Record<string, string> = {
      origination_uuid: uuid, hotline_leg: 'target', hotline_call: legs.callSid, hotline_transfer_leg: req.legId,
      originate_timeout: ring, leg_timeout: ring, ignore_early_media: 'true',
      ...(req.callerIdNumber !== undefined ? { origination_caller_id_number: req.callerIdNumber } : {}),
    };
    const outcome = Promise.resolve().then(() => this.esl.bgapi(`originate ${originateArg(vars, req.dial)} &conference(${this.conf(legs)}@${this.profile})`)).then(
      (r): DialOutcome => (r.body.startsWith('+OK') ? { kind: 'answered' } : dialOutcome(causeOf(r.body))),
      (err: unknown): DialOutcome => dialOutcome(causeOf(errorText(err))),
    );
    return { uuid, outcome };
  }

  async hangup(uuid: string, cause: string): Promise<void> {
    try {
      await this.esl.api(`uuid_kill ${uuid} ${safe('cause', cause)}`);
    } catch (err) {
      if (!/No such channel/i.test(errorText(err))) throw err;
    }
  }

  async releaseCaller(legs: CallLegs): Promise<void> {
    const token = randomUUID();
    try {
      await this.esl.api(`uuid_transfer ${legs.callerUuid} set:park_timeout=${RELEASED_PARK_SECONDS}:NORMAL_CLEARING,set:hotline_parked=${token},park inline`);
    } catch (err) {
      if (/No such channel/i.test(errorText(err))) return; // the caller hung up
      throw err;
    }
    const deadline = Date.now() + (this.opts.joinTimeoutMs ?? 5000);
    for (;;) {
      let value: string;
      try {
        value = (await this.esl.api(`uuid_getvar ${legs.callerUuid} hotline_parked`)).trim();
      } catch (err) {
        if (/No such channel/i.test(errorText(err))) return;
        throw err;
      }
      if (value === token) return;
      if (Date.now() >= deadline) throw new Error(`caller ${legs.callerUuid} not parked after its release`);
      await sleep(Math.min(this.opts.retryMs ?? 50, 10));
    }
  }

  onHangup(listener: (uuid: string, cause: string) => void): () => void {
    const on = (e: FsEvent): void => {
      if (e.name !== 'CHANNEL_HANGUP') return;
      const uuid = e.headers['Unique-ID'];
      if (uuid !== undefined) listener(uuid, e.headers['Hangup-Cause'] ?? 'UNKNOWN');
    };
    this.esl.on('event', on);
    return () => { this.esl.off('event', on); };
  }

  private conf(legs: CallLegs): string {
    return safe('conference', legs.conference);
  }

  /** A member command sent right after the uuid_transfer: retried until the caller has joined. */
  private async memberCommand(command: string): Promise<string> {
    const deadline = Date.now() + (this.opts.joinTimeoutMs ?? 5000);
    for (;;) {
      try {
        return await this.esl.api(command);
      } catch (err) {
        if (!/not found|Non-Existant/i.test(errorText(err)) || Date.now() >= deadline) throw err;
        await sleep(this.opts.retryMs ?? 50);
      }
    }
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${(err as { reply?: string }).reply ?? ''} ${err.message}`;
  return String(err);
}

/** `-ERR NO_ANSWER` → NO_ANSWER. */
function causeOf(body: string): string {
  return /-ERR\s+([A-Z_]+)/.exec(body)?.[1] ?? 'UNKNOWN';
}

/**
 * Every byte the router writes to FreeSWITCH is built here, as one string per command, so that
 * each command is a single socket write and all escaping lives in one place.
 *
 * FreeSWITCH reads a command as a first line plus `Name: value` lines up to a blank line; it
 * does not url-decode them. A newline inside a value would therefore start a new header or a new
 * command (command injection), so single-line values are checked and application arguments go
 * into a text/plain body.
 */
import type { EventFormat } from './types.js';

export class EslCommandError extends Error {
  override readonly name = 'EslCommandError';
}

function line(value: string, what: string): string {
  if (/[\r\n]/.test(value)) throw new EslCommandError(`${what} must not contain a newline`);
  return value;
}

function token(value: string, what: string): string {
  if (value === '' || /\s/.test(value)) throw new EslCommandError(`${what} must be one non-empty word: ${JSON.stringify(value)}`);
  return value;
}

export const encodeAuth = (password: string): string => `auth ${line(password, 'password')}\n\n`;

export const encodeApi = (command: string): string => `api ${line(command.trim(), 'api command')}\n\n`;

/** The Job-UUID is ours, so the BACKGROUND_JOB can be matched even if it outruns the reply. */
export const encodeBgapi = (command: string, jobUuid: string): string =>
  `bgapi ${line(command.trim(), 'bgapi command')}\nJob-UUID: ${token(jobUuid, 'Job-UUID')}\n\n`;

export interface SubscriptionSpec {
  format: EventFormat;
  /** Event names (`CHANNEL_ANSWER`, `ALL`, ...). `CUSTOM` here is ignored: use `subclasses`. */
  events: readonly string[];
  /** CUSTOM subclasses, e.g. `sofia::register`. */
  subclasses?: readonly string[];
  /** Names that must be in the list whatever the caller passed (e.g. BACKGROUND_JOB). */
  required?: readonly string[];
}

/**
 * `event <format> <names…> [CUSTOM <subclasses…>]`. In FreeSWITCH every token after `CUSTOM` is a
 * subclass name, so plain event names must all come first (modesl appends its required names at
 * the end, after CUSTOM, which silently turns them into subclasses).
 */
export function encodeEventSubscription(spec: SubscriptionSpec): string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const n of [...spec.events, ...(spec.required ?? [])]) {
    const name = token(n, 'event name').toUpperCase();
    if (name === 'CUSTOM' || seen.has(name)) continue;
    seen.add(name);
    names.push(name);
  }
  const all = seen.has('ALL');
  const subclasses = all ? [] : (spec.subclasses ?? []).map((s) => token(s, 'event subclass'));
  const list = all ? ['ALL'] : names;
  if (subclasses.length > 0) list.push('CUSTOM', ...subclasses);
  if (list.length === 0) throw new EslCommandError('no events to subscribe to');
  return `event ${spec.format} ${list.join(' ')}\n\n`;
}

export const encodeFilter = (header: string, value: string): string =>
  `filter ${token(header, 'filter header')} ${line(value, 'filter value')}\n\n`;

export const encodeFilterDelete = (header: string, value?: string): string =>
  `filter delete ${token(header, 'filter header')}${value === undefined ? '' : ` ${line(value, 'filter value')}`}\n\n`;

export const encodeNoEvents = (): string => 'noevents\n\n';
export const encodeExit = (): string => 'exit\n\n';
export const encodeConnect = (): string => 'connect\n\n';
export const encodeMyEvents = (format: EventFormat): string => `myevents ${format}\n\n`;

/** `linger` alone lingers until the socket is closed; `linger N` for at most N seconds. */
export const encodeLinger = (seconds?: number): string =>
  seconds === undefined ? 'linger\n\n' : `linger ${Math.max(1, Math.floor(seconds))}\n\n`;

export interface ExecuteSpec {
  app: string;
  arg?: string;
  /** Set as `Event-UUID`; FreeSWITCH echoes it as `Application-UUID` on CHANNEL_EXECUTE[_COMPLETE]. */
  eventUuid: string;
  /** Channel to act on; omitted on an outbound socket (its own channel). */
  uuid?: string;
  /** Hold further queued messages until this application finishes. */
  eventLock?: boolean;
  loops?: number;
}

function sendmsgHead(uuid: string | undefined): string {
  return uuid === undefined ? 'sendmsg\n' : `sendmsg ${token(uuid, 'channel uuid')}\n`;
}

/**
 * Header bytes FreeSWITCH reads one recv() each, with a sched_yield() after each byte
 * (mod_event_socket.c read_packet); a content-length body it reads in one recv(). A body costs
 * `content-type` and `content-length` headers (~45 bytes), `execute-app-arg: ` ~18: arguments
 * longer than this go in the body.
 */
export const EXECUTE_ARG_BODY_FROM = 32;

/**
 * `sendmsg` with `call-command: execute`. The argument goes in a text/plain body, which
 * FreeSWITCH uses when `execute-app-arg` is absent, when it is long (EXECUTE_ARG_BODY_FROM: a
 * bridge's dial string or a multiset is most of a call's bytes) or when a header cannot carry it
 * (FreeSWITCH strips leading spaces of header values and stops a value at a newline).
 */
export function encodeExecute(spec: ExecuteSpec): string {
  let out = sendmsgHead(spec.uuid);
  out += 'call-command: execute\n';
  out += `execute-app-name: ${token(spec.app, 'application name')}\n`;
  out += `Event-UUID: ${token(spec.eventUuid, 'Event-UUID')}\n`;
  if (spec.eventLock) out += 'event-lock: true\n';
  if (spec.loops !== undefined) out += `loops: ${Math.trunc(spec.loops)}\n`;
  const arg = spec.arg ?? '';
  const bytes = Buffer.byteLength(arg);
  if (bytes >= EXECUTE_ARG_BODY_FROM || /[\r\n]/.test(arg) || /^\s/.test(arg)) {
    return `${out}content-type: text/plain\ncontent-length: ${bytes}\n\n${arg}`;
  }
  if (arg !== '') out += `execute-app-arg: ${arg}\n`;
  return `${out}\n`;
}

/** `sendmsg` with `call-command: hangup`. */
export function encodeHangup(cause: string, uuid?: string): string {
  return `${sendmsgHead(uuid)}call-command: hangup\nhangup-cause: ${token(cause, 'hangup cause')}\n\n`;
}

/** One ESL frame as it comes off the wire: top-level headers plus an optional body. */
export interface EslFrame {
  /** Top-level headers, raw (FreeSWITCH does not url-encode these). */
  readonly headers: Record<string, string>;
  /** The Content-Length body decoded as UTF-8, when there is one. */
  readonly body: string | undefined;
}

/** A FreeSWITCH event, decoded from `text/event-json` or `text/event-plain`. */
export interface FsEvent {
  /** `Event-Name`, e.g. `CHANNEL_ANSWER`, `BACKGROUND_JOB`, `CUSTOM`. */
  readonly name: string;
  /** `Event-Subclass` for CUSTOM events, e.g. `sofia::register`. */
  readonly subclass?: string;
  /** `Unique-ID` of the channel the event is about, if any. */
  readonly uuid?: string;
  /** `Event-Sequence`: one counter per FreeSWITCH core, over every event it fires. */
  readonly sequence?: number;
  /** Every header, decoded. Multi-valued headers keep FreeSWITCH's `ARRAY::a|:b` form. */
  readonly headers: Readonly<Record<string, string>>;
  /** `_body` (json) or the Content-Length body (plain), e.g. a BACKGROUND_JOB result. */
  readonly body?: string;
}

export type EventFormat = 'json' | 'plain';

/** Content-Type values FreeSWITCH's mod_event_socket sends. */
export const ContentType = {
  authRequest: 'auth/request',
  commandReply: 'command/reply',
  apiResponse: 'api/response',
  eventJson: 'text/event-json',
  eventPlain: 'text/event-plain',
  eventXml: 'text/event-xml',
  disconnectNotice: 'text/disconnect-notice',
  rudeRejection: 'text/rude-rejection',
  logData: 'log/data',
} as const;

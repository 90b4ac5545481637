/**
 * The registry schema: the single source of truth for the file telecom engineers write.
 * TypeBox gives both the TypeScript types (Static<>) and the JSON Schema (`hotline schema`).
 * Structural rules live here; cross-references and policy rules live in ./semantic-checks.ts.
 */
import { Type, type Static } from '@sinclair/typebox';

export const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'lower-case id: letters, digits, - and _' });
const PhoneNumber = Type.String({ pattern: '^[0-9]{3,20}$', description: 'digits only, e.g. "12345"' });
const HhMm = Type.String({
  pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
  description: 'local time HH:MM, 00:00 to 24:00',
});
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'calendar date YYYY-MM-DD' });
const DialString = Type.String({ minLength: 1, description: 'FreeSWITCH dial string, e.g. sofia/gateway/carrier/12366 or user/1001' });
const Seconds = (description: string, min = 0, max = 86_400) => Type.Integer({ minimum: min, maximum: max, description });

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = Type.Union(WEEKDAYS.map((d) => Type.Literal(d)));
export type Weekday = Static<typeof Weekday>;

export const EMERGENCY_NUMBERS = ['110', '119', '120', '122'] as const;

// Records too: without it a key that is not a valid id ("Transport") is silently ignored.
const strict = { additionalProperties: false } as const;

export const OpeningHours = Type.Object({
  days: Type.Array(Weekday, { minItems: 1, uniqueItems: true }),
  open: HhMm,
  close: HhMm,
}, { ...strict, description: 'open on these weekdays from open (inclusive) to close (exclusive), local time' });

export const Schedule = Type.Object({
  name: Type.Optional(Type.String()),
  alwaysOpen: Type.Optional(Type.Boolean({ description: '7×24: open every minute of every day, holidays included' })),
  weekly: Type.Optional(Type.Array(OpeningHours, { description: 'weekly opening hours (ignored when alwaysOpen)' })),
  calendar: Type.Optional(Type.String({ description: 'id of a calendar whose holidays close and adjusted working days open this schedule' })),
  timeZone: Type.Optional(Type.String({ description: 'IANA time zone; default: hotline.timeZone' })),
  closedDates: Type.Optional(Type.Array(IsoDate, { description: 'extra closed dates for this schedule only' })),
}, strict);
export type Schedule = Static<typeof Schedule>;

export const Holiday = Type.Object({
  name: Type.String({ minLength: 1 }),
  from: IsoDate,
  to: IsoDate,
}, { ...strict, description: 'public holiday, inclusive date range: weekly hours do not apply' });

export const AdjustedWorkday = Type.Object({
  name: Type.String({ minLength: 1 }),
  date: IsoDate,
  as: Type.Optional(Weekday),
}, { ...strict, description: '调休: a weekend date worked as a weekday; uses the weekly hours of `as` (default mon)' });

export const Calendar = Type.Object({
  name: Type.Optional(Type.String()),
  holidays: Type.Array(Holiday, { default: [] }),
  workdays: Type.Array(AdjustedWorkday, { default: [] }),
}, strict);
export type Calendar = Static<typeof Calendar>;

export const Prompt = Type.Union([
  Type.Object({ file: Type.String({ minLength: 1, description: 'path or FreeSWITCH URL (local_stream://moh, tone_stream://...)' }) }, strict),
  Type.Object({
    text: Type.String({ minLength: 1, description: 'Mandarin text; {position}, {minutes}, {line}, {name} are filled in' }),
    voice: Type.Optional(Type.String({ description: 'TTS voice, default cmn' })),
  }, strict),
]);
export type Prompt = Static<typeof Prompt>;

export const STANDARD_PROMPTS = ['hold', 'position', 'wait', 'survey', 'survey-thanks', 'goodbye'] as const;

export const Queue = Type.Object({
  name: Type.String({ minLength: 1 }),
  skills: Type.Array(Id, { default: [], description: 'skills an agent needs to take this queue\'s calls' }),
  maxWaitSeconds: Seconds('overflow after this long in the queue', 1, 3600),
  maxLength: Type.Integer({ minimum: 1, maximum: 100_000, description: 'callers beyond this go straight to overflow' }),
  wrapUpSeconds: Seconds('after-call work before the agent is ready again', 0, 3600),
  overflow: Type.Optional(Id),
  schedule: Id,
  announceEverySeconds: Seconds('position / estimated wait announcement interval (0 = never)', 0, 3600),
  serviceLevelSeconds: Type.Integer({ minimum: 1, maximum: 600, default: 15, description: 'answered within this counts for the service level (15秒接通率)' }),
  ringSeconds: Type.Integer({ minimum: 5, maximum: 120, default: 20, description: 'ring an agent this long before trying the next' }),
  selection: Type.Union([Type.Literal('skill-then-longest-idle'), Type.Literal('longest-idle')], { default: 'skill-then-longest-idle' }),
  targets: Type.Optional(Type.Object({
    serviceLevel: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'share answered within serviceLevelSeconds (default 0.8)' })),
    answerRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'share answered, the queue\'s 接通率 (default 0.95)' })),
  }, { ...strict, description: 'what `hotline staff` plans for' })),
}, strict);
export type Queue = Static<typeof Queue>;

const LineCommon = {
  number: PhoneNumber,
  name: Type.String({ minLength: 1, description: 'Chinese name, e.g. 交通运输服务监督热线' }),
  nameEn: Type.Optional(Type.String()),
  department: Type.Optional(Id),
  priority: Type.Integer({ minimum: 0, maximum: 9, default: 0, description: 'higher is served first inside a queue' }),
};

export const MergedLine = Type.Object({
  ...LineCommon,
  mode: Type.Literal('merged'),
  queue: Id,
  transitionPrompt: Id,
  transitionUntil: IsoDate,
}, { ...strict, description: '整体并入: number cancelled; transition prompt until transitionUntil (inclusive), then straight to the queue' });

export const DualLine = Type.Object({
  ...LineCommon,
  mode: Type.Literal('dual'),
  queue: Id,
}, { ...strict, description: '双号并行: number kept, its queue inside the unified 12345 pool' });

export const Subcenter = Type.Object({
  dial: DialString,
  schedule: Id,
  noAnswerSeconds: Seconds('ring the sub-center seats this long, then overflow', 5, 300),
  overflowQueue: Id,
}, strict);

export const SubcenterLine = Type.Object({
  ...LineCommon,
  mode: Type.Literal('subcenter'),
  subcenter: Subcenter,
}, { ...strict, description: '设分中心: number and seats kept; closed / no answer → the 12345 7×24 pool' });

export const Line = Type.Union([MergedLine, DualLine, SubcenterLine]);
export type Line = Static<typeof Line>;
export type MergedLine = Static<typeof MergedLine>;
export type DualLine = Static<typeof DualLine>;
export type SubcenterLine = Static<typeof SubcenterLine>;
export type LineMode = Line['mode'];

export const Agent = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }),
  name: Type.String({ minLength: 1 }),
  dial: DialString,
  skills: Type.Record(Id, Type.Integer({ minimum: 1, maximum: 10 }), { ...strict, description: 'skill → level 1..10' }),
  queues: Type.Array(Id, { minItems: 1, uniqueItems: true }),
}, strict);
export type Agent = Static<typeof Agent>;

export const TransferTarget = Type.Object({
  id: Id,
  kind: Type.Union([Type.Literal('emergency'), Type.Literal('region')]),
  name: Type.String({ minLength: 1 }),
  number: PhoneNumber,
  dial: DialString,
}, { ...strict, description: 'emergency lines 110/119/120/122 and neighbouring regions\' 12345; sub-centers are transfer targets through their line' });
export type TransferTarget = Static<typeof TransferTarget>;

export const Hotline = Type.Object({
  number: PhoneNumber,
  region: Type.String({ minLength: 1, description: 'e.g. 杭州市' }),
  regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 administrative code' })),
  timeZone: Type.String({ default: 'Asia/Shanghai' }),
  queue: Id,
  poolQueue: Id,
  welcomePrompt: Type.Optional(Id),
  shortAbandonSeconds: Type.Integer({ minimum: 0, maximum: 60, default: 5 }),
  areaCode: Type.Optional(Type.String({
    pattern: '^0?[0-9]{2,3}$',
    description: 'telephone area code, 2-3 digits, e.g. "571" (Hangzhou) or "10" (Beijing): "0571 12328" and "+86 571 12328" reach line 12328',
  })),
}, { ...strict, description: 'the 12345 number itself: its own queue and the 7×24 pool every overflow ends in' });

const HttpUrl = Type.String({ pattern: '^https?://[^\\s]+$', description: 'http(s) URL' });

export const DepartmentWebhook = Type.Object({
  url: HttpUrl,
  secretEnv: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$', description: 'environment variable holding the signing secret (16 characters at least)' })),
  secretFile: Type.Optional(Type.String({ minLength: 1, description: 'file holding the signing secret (e.g. /run/secrets/...); never the secret itself in this file' })),
  callerNumbers: Type.Union([Type.Literal('masked'), Type.Literal('full')], { default: 'masked', description: 'the caller number as this department receives it' }),
  timeoutSeconds: Type.Integer({ minimum: 1, maximum: 60, default: 10, description: 'give up one POST after this long (then retried)' }),
}, { ...strict, description: 'each finished call record of the department\'s lines is POSTed here, signed, in order' });
export type DepartmentWebhook = Static<typeof DepartmentWebhook>;

export const Department = Type.Object({
  name: Type.String({ minLength: 1, description: 'e.g. 市交通运输局' }),
  webhook: Type.Optional(DepartmentWebhook),
}, { ...strict, description: 'a department owning lines (lines[].department): its token sees their figures; its webhook receives their records' });
export type Department = Static<typeof Department>;

const Days = (description: string) => Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500, description }));

export const Retention = Type.Object({
  callRecordsDays: Days('call records are deleted after this many days'),
  callerNumberDays: Days('the caller number in a call record is replaced by its mask after this many days'),
  agentLogDays: Days('agent state log'),
  auditDays: Days('audit log'),
  reportsDays: Days('stored daily reports'),
  outboxDays: Days('delivered and dead outbox items (work orders, department feeds)'),
  purgeAt: Type.Optional(Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'local time HH:MM of the daily purge (default 03:30)' })),
}, { ...strict, description: 'PIPL: how long personal data is kept; a kind left out is kept forever. Purged daily at purgeAt (default 03:30) local time' });
export type Retention = Static<typeof Retention>;

/** Where a carrier may put the number the caller dialed; `trunks[].calledNumberFrom` lists them in order. */
export const CALLED_NUMBER_SOURCES = ['request-uri', 'to', 'p-called-party-id', 'diversion', 'history-info'] as const;
export const CalledNumberSource = Type.Union(CALLED_NUMBER_SOURCES.map((s) => Type.Literal(s)));
export type CalledNumberSource = Static<typeof CalledNumberSource>;

const SourceAddress = Type.String({
  pattern: '^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$',
  description: 'IPv4 or IPv6 address, or a CIDR block: 203.0.113.10, 203.0.113.0/28, 2001:db8::/64',
});

export const Trunk = Type.Object({
  name: Id,
  sources: Type.Array(SourceAddress, { minItems: 1, uniqueItems: true, description: 'the carrier\'s signalling addresses: INVITEs from anywhere else are refused' }),
  calledNumberFrom: Type.Array(CalledNumberSource, {
    minItems: 1,
    uniqueItems: true,
    default: [...CALLED_NUMBER_SOURCES],
    description: 'where the dialed number is read, in order: the first that names a line of this hotline (or an emergency number) wins',
  }),
  stripPrefixes: Type.Array(Type.String({ pattern: '^[0-9]{1,10}$' }), {
    default: [],
    uniqueItems: true,
    description: 'carrier routing prefixes removed before +86 / 0086 / the area code, e.g. "17951"',
  }),
  maxCallsPerSecond: Type.Integer({ minimum: 1, maximum: 10_000, description: 'new calls per second from this trunk; more are answered 503 with Retry-After' }),
  maxConcurrentCalls: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'calls in progress from this trunk; more are answered 503 with Retry-After' }),
}, { ...strict, description: 'a carrier trunk delivering calls to the SIP edge (`hotline edge`)' });
export type Trunk = Static<typeof Trunk>;

const HostPort = (description: string) => Type.String({ pattern: '^([^\\s:\\[\\]]+|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}$', description });

export const FreeswitchNode = Type.Object({
  name: Id,
  sip: HostPort('where the edge sends this node\'s calls, host:port (e.g. 10.0.0.11:5060)'),
  esl: HostPort('the node\'s inbound event socket, host:port (e.g. 10.0.0.11:8021)'),
  maxSessions: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: 'the node\'s max-sessions: the edge sends it no call beyond this' }),
}, { ...strict, description: 'a FreeSWITCH node behind the SIP edge' });
export type FreeswitchNode = Static<typeof FreeswitchNode>;

export const EdgeAddress = Type.Object({
  sip: HostPort('the SIP edge\'s address as the nodes reach it, host:port (e.g. 10.0.0.5:5060): agents dialled user/<id> are rung through it'),
  profile: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', default: 'hotline-carrier', description: 'the nodes\' sofia profile that faces the edge' }),
}, { ...strict, description: 'the SIP edge in front of the nodes: agents\' phones register there, so the nodes ring agents through it' });
export type EdgeAddress = Static<typeof EdgeAddress>;

export const Registry = Type.Object({
  version: Type.Literal(1),
  hotline: Hotline,
  schedules: Type.Record(Id, Schedule, strict),
  calendars: Type.Record(Id, Calendar, { ...strict, default: {} }),
  queues: Type.Record(Id, Queue, strict),
  lines: Type.Array(Line, { default: [] }),
  agents: Type.Array(Agent, { default: [] }),
  transferTargets: Type.Array(TransferTarget, { default: [] }),
  prompts: Type.Record(Id, Prompt, strict),
  departments: Type.Optional(Type.Record(Id, Department, strict)),
  retention: Type.Optional(Retention),
  trunks: Type.Optional(Type.Array(Trunk, { description: 'carrier trunks the SIP edge accepts calls from' })),
  nodes: Type.Optional(Type.Array(FreeswitchNode, { minItems: 1, description: 'FreeSWITCH nodes behind the SIP edge' })),
  edge: Type.Optional(EdgeAddress),
}, { ...strict, $id: 'https://hotline-router/registry.schema.json', title: 'hotline-router registry' });
export type Registry = Static<typeof Registry>;

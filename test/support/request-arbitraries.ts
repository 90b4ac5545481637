/**
 * fast-check arbitraries for HTTP requests shaped by a route's JSON schemas: values a schema
 * accepts, values at and past its edges, and plain garbage, so a fuzz run reaches the handlers
 * (not only the validator) and the validator's edges.
 */
import fc from 'fast-check';

type Schema = Readonly<Record<string, unknown>>;

/** Strings that have broken request handlers somewhere: encodings, limits, calendars. */
const NASTY_STRINGS = [
  '', ' ', '%', '%%', '%00', '\u0000', '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '__proto__', 'constructor', 'null', 'undefined',
  'NaN', 'Infinity', '-Infinity', '-0', '1e309', '-1', '0', '9007199254740993', '1.5', 'true', '[]', '{}', '\u202e', '😀', 'é',
  '2016-12-31T23:59:60Z', '2026-02-30', '2026-13-01', '0000-01-01', '9999-12-31', '+275760-09-13T00:00:00Z', '2026-03-10T08:00:00+08:00',
  '2026-03-10T25:00:00Z', '2026-03-10', '1970-01-01T00:00:00Z', '-271821-04-20T00:00:00Z', 'x'.repeat(5_000),
] as const;

const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

const isoDateTime = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString());
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** RFC 3339 shapes at the calendar's edges: leap seconds, day 31 of short months, far years, odd offsets. */
const edgeDateTime = fc.tuple(
  fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }),
  fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom(0, 59, 60), fc.constantFrom('Z', '+08:00', '-23:59', '+14:00'),
).map(([y, mo, d, h, mi, se, tz]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(se)}${tz}`);
const leapSecond = fc.tuple(fc.integer({ min: 1970, max: 2100 }), fc.constantFrom('06-30', '12-31')).map(([y, md]) => `${y}-${md}T23:59:60Z`);

const isoDate = fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** A number as a query string carries it: integers, edges, floats, big, not a number. */
const numeric = (s: Schema): fc.Arbitrary<string> => {
  const edges = [s.minimum, s.maximum].filter((x): x is number => typeof x === 'number').flatMap((x) => [x - 1, x, x + 1]).map(String);
  return fc.oneof(
    fc.integer({ min: -10, max: 2_000 }).map(String),
    fc.constantFrom('0', '-1', '1e21', '1e308', '1e400', 'Infinity', '-Infinity', 'NaN', '9007199254740993', '1.5', '0x10', ' 1', 'abc', ...edges),
    fc.double().map(String),
    fc.bigInt().map(String),
  );
};

/** One value for a schema, as the string a URL (path or query) would carry. */
export function stringFor(schema: Schema | undefined, hints: readonly string[] = []): fc.Arbitrary<string> {
  const s = schema ?? {};
  const options: fc.Arbitrary<string>[] = [anyString];
  if (hints.length > 0) options.push(fc.constantFrom(...hints), fc.constantFrom(...hints));
  if (Array.isArray(s.enum)) options.push(fc.constantFrom(...(s.enum as string[])), fc.constantFrom(...(s.enum as string[])));
  if (typeof s.pattern === 'string') options.push(fc.stringMatching(new RegExp(s.pattern)));
  if (s.format === 'date-time') options.push(isoDateTime, edgeDateTime, leapSecond);
  if (s.type === 'integer' || s.type === 'number') options.push(numeric(s), numeric(s), numeric(s));
  if (s.type === 'string' && s.format === undefined) options.push(isoDate, isoDateTime);
  return fc.oneof(...options);
}

/** A value the schema accepts (or nearly: hints may be unknown ids), so the request reaches the handler. */
export function validStringFor(schema: Schema | undefined, hints: readonly string[] = []): fc.Arbitrary<string> {
  const s = schema ?? {};
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as string[]));
  if (s.type === 'integer' || s.type === 'number') {
    const min = typeof s.minimum === 'number' ? s.minimum : 0;
    const max = typeof s.maximum === 'number' ? Math.min(s.maximum, min + 100_000) : min + 1_000;
    return fc.integer({ min, max }).map(String);
  }
  if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  const options: fc.Arbitrary<string>[] = [];
  if (hints.length > 0) options.push(fc.constantFrom(...hints));
  if (typeof s.pattern === 'string') options.push(fc.stringMatching(new RegExp(s.pattern)));
  if (options.length === 0) options.push(fc.string({ minLength: 1, maxLength: typeof s.maxLength === 'number' ? Math.min(s.maxLength, 20) : 20 }));
  return fc.oneof(...options);
}

function queryString(pairs: readonly (readonly [string, string])[]): string {
  const params = new URLSearchParams();
  for (const [k, v] of pairs) params.append(k, v);
  const q = params.toString();
  return q === '' ? '' : `?${q}`;
}

/**
 * A query string from a querystring schema: half the time a few of its keys with values it
 * accepts; otherwise any of its keys (now and then twice) with edge or garbage values, now and
 * then a key it does not know.
 */
export function queryFor(schema: Schema | undefined, hints: Readonly<Record<string, readonly string[]>> = {}): fc.Arbitrary<string> {
  const props = Object.entries((schema?.properties ?? {}) as Record<string, Schema>);
  if (props.length === 0) return fc.oneof(fc.constant(''), fc.tuple(anyString, anyString).map(([k, v]) => queryString([[k, v]])));
  const valid = fc.subarray(props, { maxLength: Math.min(3, props.length) }).chain((picked) =>
    fc.tuple(...picked.map(([key, s]) => validStringFor(s, hints[key]).map((v) => [key, v] as const))).map(queryString));
  const required = new Set((schema?.required ?? []) as string[]);
  const hostile = fc.tuple(
    fc.tuple(...props.map(([key, s]) => fc.oneof(
      { weight: required.has(key) ? 0 : 3, arbitrary: fc.constant([] as (readonly [string, string])[]) },
      { weight: 4, arbitrary: stringFor(s, hints[key]).map((v) => [[key, v] as const]) },
      { weight: 1, arbitrary: fc.tuple(stringFor(s, hints[key]), stringFor(s, hints[key])).map(([a, b]) => [[key, a] as const, [key, b] as const]) },
    ))),
    fc.oneof({ weight: 5, arbitrary: fc.constant([] as (readonly [string, string])[]) }, { weight: 1, arbitrary: fc.tuple(anyString, anyString).map(([k, v]) => [[k, v] as const]) }),
  ).map(([parts, extra]) => queryString([...parts.flat(), ...extra]));
  return fc.oneof(valid, hostile);
}

/** A JSON value for a schema: mostly the right shape with edge values, sometimes any JSON at all. */
export function jsonFor(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const s = schema ?? {};
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const valid = s.type === 'object'
    ? fc.record(Object.fromEntries(Object.entries(props).map(([k, p]) => [k, validStringFor(p)])))
    : validStringFor(s);
  const shaped = s.type === 'object'
    ? fc.record(Object.fromEntries(Object.entries(props).map(([k, p]) => [k, jsonFor(p)])), { requiredKeys: [] })
    : s.type === 'integer' || s.type === 'number' ? fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2))
      : stringFor(s);
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}

export const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/xml', 'application/json; charset=latin1', '', ';;;', 'application/*',
] as const;

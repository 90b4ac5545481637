/**
 * Turns ajv's errors into plain English, pointed at the offending value (or key).
 * Assumes ajv runs with `verbose: true` so each error carries its data and schema.
 */
import type { ErrorObject } from 'ajv';
import { Id } from './schema.js';
import type { PathSegments } from './problem.js';
import type { Report } from './reporter.js';
import { closest } from './suggest.js';

const ID_PATTERN = Id.pattern ?? '';

const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$': 'expected HH:MM (00:00–24:00)',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': 'expected a date YYYY-MM-DD',
  '^[0-9]{3,20}$': 'expected a number of 3 to 20 digits, e.g. "12345"',
  '^[0-9]{6}$': 'expected a 6-digit GB/T 2260 code, e.g. "330100"',
  '^[A-Za-z0-9_-]{1,32}$': 'expected an agent id: letters, digits, - and _ (at most 32)',
  [ID_PATTERN]: 'expected an id: lower-case letters, digits, - and _',
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  null: 'nothing',
};

const ID_RE = new RegExp(ID_PATTERN);

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

/** Decodes a JSON pointer into path segments, turning array indexes into numbers. */
export function pointerToSegments(pointer: string, root: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg = Array.isArray(node) ? Number(key) : key;
    out.push(seg);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  }
  return out;
}

/** A union of literals (`anyOf: [{const}, …]`): its allowed values; undefined for other schemas. */
function literalChoices(schema: unknown): string[] | undefined {
  if (!Array.isArray(schema)) return undefined;
  const values = schema.map((s: unknown) => (s !== null && typeof s === 'object' && 'const' in s ? String(s.const) : undefined));
  return values.every((v) => v !== undefined) ? values : undefined;
}

export interface Translation {
  readonly base: PathSegments;
  /** The data the validator saw, to resolve array indexes in instance paths. */
  readonly data: unknown;
  readonly report: Report;
  readonly sourceText: (path: PathSegments) => string | undefined;
  /** Told about each unknown key, so the caller can drop it and still use the rest of the entry. */
  readonly onUnknownKey?: (path: PathSegments) => void;
}

export function reportAjvErrors(errors: readonly ErrorObject[], t: Translation): void {
  const unionPaths = errors.filter((e) => e.keyword === 'anyOf' && literalChoices(e.schema)).map((e) => `${e.instancePath}|${e.schemaPath}/`);
  const typoFixes = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => `${e.instancePath}|${closest(String(e.params['additionalProperty']), propertyNames(e.parentSchema)) ?? ''}`),
  );
  for (const e of errors) {
    // The "must equal" noise from each branch of a literal union is replaced by one "must be one of".
    if (unionPaths.some((u) => `${e.instancePath}|${e.schemaPath}`.startsWith(u))) continue;
    // A missing key explained by a typo next to it is reported once, as the typo.
    if (e.keyword === 'required' && typoFixes.has(`${e.instancePath}|${String(e.params['missingProperty'])}`)) continue;
    reportOne(e, t);
  }
}

function propertyNames(schema: unknown): string[] {
  const props = schema !== null && typeof schema === 'object' && 'properties' in schema ? schema.properties : undefined;
  return props !== null && typeof props === 'object' ? Object.keys(props) : [];
}

function reportOne(e: ErrorObject, t: Translation): void {
  const path = [...t.base, ...pointerToSegments(e.instancePath, t.data)];
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const keyPath = [...path, key];
      const names = propertyNames(e.parentSchema);
      if (names.length === 0) {
        const fixed = key.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
        const hint = ID_RE.test(fixed) ? `ids are lower-case letters, digits, - and _: "${fixed}"` : 'ids are lower-case letters, digits, - and _';
        t.report(keyPath, `"${key}" is not a valid id`, { anchor: 'key', hint });
        return;
      }
      t.onUnknownKey?.(keyPath);
      const near = closest(key, names);
      const hint = near !== undefined ? `did you mean "${near}"?` : `valid keys here: ${names.join(', ')}`;
      t.report(keyPath, `unknown key "${key}"`, { anchor: 'key', hint });
      return;
    }
    case 'required': {
      const key = String(p['missingProperty']);
      const props = (e.parentSchema as { properties?: Record<string, { description?: string }> } | undefined)?.properties;
      const description = props?.[key]?.description;
      t.report(path, `missing required key "${key}"`, description === undefined ? {} : { hint: `${key}: ${description}` });
      return;
    }
    case 'type': {
      const expected = String(p['type']);
      t.report(path, `expected ${TYPE_NAMES[expected] ?? expected}, got ${describeValue(e.data)}`, { hint: typeHint(expected, e.data, t.sourceText(path)) });
      return;
    }
    case 'anyOf': {
      const choices = literalChoices(e.schema) ?? [];
      const near = typeof e.data === 'string' ? closest(e.data, choices) : undefined;
      t.report(path, `must be one of ${choices.join(', ')}`, near === undefined ? {} : { hint: `did you mean "${near}"?` });
      return;
    }
    case 'pattern': {
      const pattern = String(p['pattern']);
      const description = (e.parentSchema as { description?: string } | undefined)?.description;
      const message = PATTERN_MESSAGES[pattern] ?? (description !== undefined ? `expected ${description}` : `must match ${pattern}`);
      t.report(path, message, { hint: patternHint(pattern, e.data) });
      return;
    }
    case 'minimum':
    case 'maximum':
      t.report(path, `must be at ${e.keyword === 'minimum' ? 'least' : 'most'} ${String(p['limit'])}, got ${describeValue(e.data)}`);
      return;
    case 'minLength':
      t.report(path, 'must not be empty');
      return;
    case 'minItems':
      t.report(path, `needs at least ${String(p['limit'])} item${p['limit'] === 1 ? '' : 's'}`);
      return;
    case 'uniqueItems': {
      const j = Number(p['i']);
      const items = Array.isArray(e.data) ? e.data : [];
      t.report([...path, j], `${describeValue(items[j])} is listed twice`);
      return;
    }
    case 'const':
      t.report(path, `must be ${JSON.stringify(p['allowedValue'])}, got ${describeValue(e.data)}`);
      return;
    default:
      t.report(path, e.message ?? `fails ${e.keyword}`);
  }
}

function typeHint(expected: string, data: unknown, source: string | undefined): string | undefined {
  if (expected === 'string' && (typeof data === 'number' || typeof data === 'boolean')) {
    return `quote it: "${source ?? String(data)}" (unquoted, YAML reads it as a ${typeof data})`;
  }
  if ((expected === 'integer' || expected === 'number') && typeof data === 'string' && /^-?[0-9]+$/.test(data.trim())) {
    return 'remove the quotes';
  }
  if (expected === 'object' && (data === null || data === undefined)) return 'the value is empty: check the indentation of the lines below it';
  return undefined;
}

function patternHint(pattern: string, data: unknown): string | undefined {
  if (typeof data !== 'string') return undefined;
  if (pattern === ID_PATTERN) {
    const fixed = data.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
    return ID_RE.test(fixed) ? `did you mean "${fixed}"?` : undefined;
  }
  if (pattern === '^[0-9]{3,20}$') {
    const digits = data.replace(/[\s()+-]/g, '');
    return /^[0-9]{3,20}$/.test(digits) ? `digits only, no separators: "${digits}"` : undefined;
  }
  if (pattern.includes(':[0-5]') && /^[0-9]:[0-5][0-9]$/.test(data)) return `use two digits for the hour: "0${data}"`;
  return undefined;
}

/**
 * The schemas' formats, tightened to what the handlers can use. ajv-formats' `date-time` follows
 * RFC 3339, which allows a leap second (`23:59:60Z`) that `Date.parse` cannot read: such a
 * request passed the schema and then failed in the handler (`new Date(NaN).toISOString()` → a
 * 500). Here a date-time is also one `Date` can hold.
 */
import type { Ajv } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';

const rfc3339 = fullFormats['date-time'] as { validate: (s: string) => boolean; compare: (a: string, b: string) => number | undefined };

export function isUsableDateTime(s: string): boolean {
  return rfc3339.validate(s) && !Number.isNaN(Date.parse(s));
}

/** For fastify's `ajv.onCreate`: runs after ajv-formats, so these replace its formats. */
export function tightenFormats(ajv: Ajv): void {
  ajv.addFormat('date-time', { type: 'string', validate: isUsableDateTime, compare: rfc3339.compare });
}

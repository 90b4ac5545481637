/**
 * Schemas shared by several routes, for the OpenAPI document and the tests that hold the
 * answers to them. Response schemas describe; they do not shape the answer (app.ts serializes
 * with JSON.stringify), so a field a schema forgets is not silently dropped.
 */

/** Every error answer (errors/http-error.ts), registered once and referenced by every route. */
export const ERROR_SCHEMA_ID = 'HotlineError';
export const errorSchema = {
  $id: ERROR_SCHEMA_ID,
  type: 'object',
  description: 'every error answer; `code` is stable, `message` is for people',
  required: ['statusCode', 'code', 'error', 'message'],
  additionalProperties: true,
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    code: { type: 'string', pattern: '^(HOTLINE_ERR|FST_ERR)_[A-Z0-9_]+$' },
    error: { type: 'string', description: 'the status reason phrase' },
    message: { type: 'string' },
    state: { type: 'string', description: 'HOTLINE_ERR_AGENT_STATE only: the agent\'s current status' },
  },
} as const;
export const errorRef = { $ref: `${ERROR_SCHEMA_ID}#` } as const;

/** An object whose listed fields are documented; others may follow (a record's optional parts). */
export function openObject(properties: Record<string, unknown>, required: readonly string[] = []) {
  return { type: 'object', additionalProperties: true, ...(required.length === 0 ? {} : { required: [...required] }), properties } as const;
}

export const anyObject = { type: 'object', additionalProperties: true } as const;
export const nullableString = { type: ['string', 'null'] } as const;
export const nullableNumber = { type: ['number', 'null'] } as const;

const rateSchema = openObject({
  value: { type: ['number', 'null'] }, numerator: { type: 'number' }, denominator: { type: 'number' }, formula: { type: 'string' },
}, ['value', 'numerator', 'denominator', 'formula']);

/** A set of figures (app/metrics/stats-model.ts KpiSet; docs/metrics.md defines each). */
export const kpiSet = openObject({
  counts: anyObject, answerRate: rateSchema, serviceLevel: rateSchema, serviceLevelSeconds: { type: 'number' },
  wait: anyObject, waitFromArrival: anyObject, satisfactionRate: rateSchema, survey: anyObject, transfers: { type: 'array', items: anyObject },
}, ['counts', 'answerRate', 'serviceLevel', 'wait', 'satisfactionRate', 'survey']);

/** A non-JSON answer (CSV, Prometheus text, HTML, an event stream). */
export function textResponse(contentType: string, description: string) {
  return { description, content: { [contentType]: { schema: { type: 'string' } } } } as const;
}

export const healthResponse = openObject({
  status: { type: 'string', enum: ['ok', 'degraded', 'down'] },
  components: {
    type: 'object',
    additionalProperties: openObject({ state: { type: 'string', enum: ['ok', 'degraded', 'down', 'disabled'] }, detail: { type: 'string' } }, ['state']),
  },
}, ['status', 'components']);

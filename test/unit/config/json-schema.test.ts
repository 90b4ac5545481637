import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { registryJsonSchema } from '../../../src/config/json-schema.js';
import { exampleText } from './registry-fixtures.js';

describe('registryJsonSchema', () => {
  const schema = registryJsonSchema();

  it('is plain JSON declaring draft-07', () => {
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(Object.getOwnPropertySymbols(schema)).toEqual([]);
  });

  it('lets a standalone validator accept the example and reject a typo', () => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const example = parse(exampleText()) as Record<string, unknown>;
    expect(validate(example)).toBe(true);
    expect(validate({ ...example, hotlien: {} })).toBe(false);
  });

  it('carries descriptions for editors', () => {
    const hotline = (schema['properties'] as Record<string, { description?: string }>)['hotline'];
    expect(hotline?.description).toContain('7×24 pool');
  });
});

describe('properties with defaults', () => {
  it('are optional for editors, while the rest stay required', () => {
    const queue = ((registryJsonSchema()['properties'] as Record<string, { patternProperties: Record<string, { required: string[] }> }>)['queues']);
    const required = Object.values(queue?.patternProperties ?? {})[0]?.required;
    expect(required).toContain('maxWaitSeconds');
    expect(required).not.toContain('ringSeconds');
    expect(required).not.toContain('selection');
  });
});

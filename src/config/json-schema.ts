/**
 * The registry's JSON Schema, for editors (yaml-language-server, VS Code) — printed by `hotline schema`.
 * Generated from the same TypeBox definitions the loader validates with, so the two cannot drift.
 */
import { Registry } from './schema.js';

export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/** A plain JSON object (TypeBox's symbol-keyed metadata removed), draft-07 and 2019-09 compatible. */
export function registryJsonSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(Registry)) as Record<string, unknown>;
  return { $schema: JSON_SCHEMA_DIALECT, ...plain };
}

/**
 * The registry's JSON Schema, for editors (yaml-language-server, VS Code) — printed by `hotline schema`.
 * Generated from the same TypeBox definitions the loader validates with, so the two cannot drift.
 */
import { Registry } from './schema.js';

export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * TypeBox lists a property with a default as required (the loader fills it in before checking).
 * An editor validates the file as written, so such a property must be optional there.
 */
function relaxDefaultedRequirements(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(relaxDefaultedRequirements);
    return;
  }
  if (!isObject(node)) return;
  const { properties, required } = node;
  if (isObject(properties) && Array.isArray(required)) {
    node['required'] = required.filter((key) => !(isObject(properties[String(key)]) && 'default' in (properties[String(key)] as Json)));
  }
  Object.values(node).forEach(relaxDefaultedRequirements);
}

/** A plain JSON object (TypeBox's symbol-keyed metadata removed), draft-07 and 2019-09 compatible. */
export function registryJsonSchema(): Json {
  const plain = JSON.parse(JSON.stringify(Registry)) as Json;
  relaxDefaultedRequirements(plain);
  return { $schema: JSON_SCHEMA_DIALECT, ...plain };
}

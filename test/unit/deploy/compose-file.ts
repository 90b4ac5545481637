/** Reading the stack's compose files as Compose does: YAML with merge keys, `${VAR…}` interpolation. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  networks?: string[];
  network_mode?: string;
  healthcheck?: { test: string[] };
  restart?: string;
  profiles?: string[];
  secrets?: string[];
  user?: string;
  depends_on?: Record<string, { condition: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
}

export function readCompose(path: string): ComposeFile {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

/** Every `${NAME…}` the file interpolates (`$${…}` is a literal dollar for the container). */
export function interpolated(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''));
}

/** A value with each `${NAME:-default}` / `${NAME-default}` as its default, others as `<NAME>`. */
export function withDefaults(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?(?::\?[^}]*)?\}/g, (_m, name: string, def: string | undefined) => def ?? `<${name}>`);
}

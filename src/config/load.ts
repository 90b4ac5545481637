/**
 * Loads a registry file: YAML with positions → shape (schema, defaults) → semantic checks.
 * All-or-nothing: with any error no registry is returned; warnings travel with a loaded registry.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Registry } from './schema.js';
import { compareProblems, isError, type Problem } from './problem.js';
import { createReporter } from './reporter.js';
import { parseYaml } from './yaml-source.js';
import { removeKeys, validateStructure } from './structural-validation.js';
import { semanticInputFrom } from './semantic-input.js';
import { runSemanticChecks } from './semantic-checks.js';
import { deepFreeze } from './deep-freeze.js';

export type LoadResult =
  | { readonly ok: true; readonly registry: Registry; readonly warnings: Problem[] }
  /** `problems` holds the errors and any warnings, in file order. */
  | { readonly ok: false; readonly problems: Problem[] };

export function parseRegistry(text: string, fileName: string): LoadResult {
  const parsed = parseYaml(text, fileName);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.sort(compareProblems) };

  const reporter = createReporter(fileName, parsed.source);
  const data = parsed.data;
  const structure = validateStructure(data, reporter);
  // An unknown key (usually a typo) leaves the rest of its entry sound: drop it and validate
  // again without reporting, so the semantic checks still see that entry.
  let problemPaths = structure.problemPaths;
  if (structure.unknownKeys.length > 0) {
    removeKeys(data, structure.unknownKeys);
    problemPaths = validateStructure(data, createReporter(fileName, parsed.source)).problemPaths;
  }
  const input = semanticInputFrom(data, problemPaths);
  if (input !== undefined) runSemanticChecks(input, reporter);

  const problems = [...parsed.warnings, ...reporter.problems].sort(compareProblems);
  if (problems.some(isError)) return { ok: false, problems };
  return { ok: true, registry: deepFreeze(data as Registry), warnings: problems };
}

/** A loaded file's result with the sha256 of its bytes (absent when it could not be read). */
export type FileLoadResult = LoadResult & { readonly sha256?: string };

export async function loadRegistryFile(path: string): Promise<FileLoadResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(err);
    const problem: Problem = { file: path, line: 0, col: 0, path: '', message: `cannot read the registry: ${reason}`, severity: 'error' };
    return { ok: false, problems: [code === 'ENOENT' ? { ...problem, hint: 'copy config/hotline.example.yaml and edit it' } : problem] };
  }
  return { ...parseRegistry(bytes.toString('utf8'), path), sha256: createHash('sha256').update(bytes).digest('hex') };
}

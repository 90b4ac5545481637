/**
 * Loads a registry file: YAML with positions → shape (schema, defaults) → semantic checks.
 * All-or-nothing: with any error no registry is returned; warnings travel with a loaded registry.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Registry } from './schema.js';
import { compareProblems, isError, type Problem } from './problem.js';
import { createReporter } from './reporter.js';
import { parseYaml, registryTooLarge } from './yaml-source.js';
import { DEFAULT_YAML_LIMITS, type YamlLimits } from './yaml-bounds.js';
import { removeKeys, validateStructure } from './structural-validation.js';
import { semanticInputFrom } from './semantic-input.js';
import { runSemanticChecks } from './semantic-checks.js';
import { deepFreeze } from './deep-freeze.js';
import { withEdgeDials } from './edge-dials.js';

export type LoadResult =
  | { readonly ok: true; readonly registry: Registry; readonly warnings: Problem[] }
  /** `problems` holds the errors and any warnings, in file order. */
  | { readonly ok: false; readonly problems: Problem[] };

export function parseRegistry(text: string, fileName: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): LoadResult {
  const parsed = parseYaml(text, fileName, limits);
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
  return { ok: true, registry: deepFreeze(withEdgeDials(data as Registry)), warnings: problems };
}

/** A loaded file's result with the sha256 of its bytes (absent when it could not be read or was too large). */
export type FileLoadResult = LoadResult & { readonly sha256?: string };

export async function loadRegistryFile(path: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): Promise<FileLoadResult> {
  let read: { bytes: Buffer } | { tooLarge: number };
  try {
    read = await readCapped(path, limits.maxBytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(err);
    const problem: Problem = { file: path, line: 0, col: 0, path: '', message: `cannot read the registry: ${reason}`, severity: 'error' };
    return { ok: false, problems: [code === 'ENOENT' ? { ...problem, hint: 'copy config/hotline.example.yaml and edit it' } : problem] };
  }
  if ('tooLarge' in read) return { ok: false, problems: [registryTooLarge(path, read.tooLarge, limits.maxBytes)] };
  // Bounded by bytes on disk already; decoding can only lengthen it in UTF-8 (a stray byte becomes
  // U+FFFD, three bytes), which must not turn a file under the limit into one over it.
  return { ...parseRegistry(read.bytes.toString('utf8'), path, { ...limits, maxBytes: Number.MAX_SAFE_INTEGER }), sha256: createHash('sha256').update(read.bytes).digest('hex') };
}

/**
 * Reads at most maxBytes + 1 bytes: a file over the limit is refused without being read whole,
 * and a path that never ends (a device, a FIFO fed forever) is cut off at the same mark.
 */
async function readCapped(path: string, maxBytes: number): Promise<{ bytes: Buffer } | { tooLarge: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return { tooLarge: size };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { tooLarge: total };
    }
    return { bytes: Buffer.concat(chunks, total) };
  } finally {
    await handle.close();
  }
}

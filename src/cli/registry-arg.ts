import { loadRegistryFile } from '../config/load.js';
import { formatProblems, summarizeProblems } from '../config/problem.js';
import type { Registry } from '../config/schema.js';
import { UsageError, type CliIo } from './command.js';

export function requireFile(positionals: string[], usage: string): string {
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError(`missing FILE (${usage})`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra.join(' ')}"`);
  return file;
}

/** Loads FILE; on problems prints every one to stderr and returns undefined. */
export async function loadOrReport(file: string, io: CliIo): Promise<Registry | undefined> {
  const result = await loadRegistryFile(file);
  if (!result.ok) {
    io.stderr(`${formatProblems(result.problems)}\n${file}: ${summarizeProblems(result.problems)}\n`);
    return undefined;
  }
  if (result.warnings.length > 0) io.stderr(`${formatProblems(result.warnings)}\n`);
  return result.registry;
}

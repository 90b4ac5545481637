import { loadRegistryFile } from '../config/load.js';
import { formatProblems, summarizeProblems, type Problem } from '../config/problem.js';
import type { Registry } from '../config/schema.js';
import { UsageError, type CliIo } from './command.js';

export function requireFile(positionals: string[], usage: string): string {
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError(`missing FILE (${usage})`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra.join(' ')}"`);
  return file;
}

/** Every problem of a registry that did not load, then the count line, to stderr. */
export function reportLoadFailure(file: string, problems: readonly Problem[], io: CliIo): void {
  io.stderr(`${formatProblems(problems)}\n${file}: ${summarizeProblems(problems)}\n`);
}

/** Loads FILE; on problems prints every one to stderr and returns undefined. */
export async function loadOrReport(file: string, io: CliIo): Promise<Registry | undefined> {
  const result = await loadRegistryFile(file);
  if (!result.ok) {
    reportLoadFailure(file, result.problems, io);
    return undefined;
  }
  if (result.warnings.length > 0) io.stderr(`${formatProblems(result.warnings)}\n`);
  return result.registry;
}

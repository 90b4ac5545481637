/**
 * Loads one registry file with the default limits and prints what came of it with the process's
 * peak RSS, for the hostile-input test (run under a small --max-old-space-size: running out of
 * memory is a crash the parent sees).
 */
import { loadRegistryFile } from '../../src/config/load.js';
import { formatProblems } from '../../src/config/problem.js';

const file = process.argv[2] ?? '';
const started = performance.now();
const result = await loadRegistryFile(file);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({
  ok: result.ok,
  output: result.ok ? '' : formatProblems(result.problems),
  problems: result.ok ? 0 : result.problems.length,
  ms,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
}));

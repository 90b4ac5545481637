/**
 * Loads registry files one after another with the default limits and prints, for each, what
 * came of it, how long the load took (wall and CPU time) and the process's peak RSS so far — for the hostile-input
 * test, which runs this under a small --max-old-space-size (running out of memory is a crash
 * the parent sees).
 */
import { loadRegistryFile } from '../../src/config/load.js';
import { formatProblems } from '../../src/config/problem.js';

const results = [];
for (const file of process.argv.slice(2)) {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await loadRegistryFile(file);
  const cpu = process.cpuUsage(cpuBefore);
  const ms = performance.now() - started;
  results.push({
    file,
    ok: result.ok,
    output: result.ok ? '' : formatProblems(result.problems),
    problems: result.ok ? 0 : result.problems.length,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  });
}
process.stdout.write(JSON.stringify(results));

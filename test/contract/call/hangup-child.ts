/**
 * Runs every hang-up scenario in this process, one JSON line per result on stdout. Started by
 * hangup.test.ts with `--unhandled-rejections=strict`: an unobserved rejection kills the process
 * and the test sees which scenario was running (`start` lines).
 */
import { SCENARIOS, runScenario } from './hangup-scenarios.js';

const only = process.argv[2];
for (const sc of SCENARIOS) {
  if (only !== undefined && sc.name !== only) continue;
  process.stdout.write(`${JSON.stringify({ start: sc.name })}\n`);
  const result = await runScenario(sc);
  process.stdout.write(`${JSON.stringify({ result })}\n`);
}
process.stdout.write(`${JSON.stringify({ alive: true })}\n`);

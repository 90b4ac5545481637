/**
 * `hotline simulate` and `hotline staff` run in a node started with a larger young generation.
 * The simulator makes short-lived objects for every event and keeps only the calls in
 * progress, so with V8's default young generation a 100,000-call day spent about a fifth of its
 * time in scavenges copying the same survivors again and again. A 64 MB semi-space scavenges a
 * fraction as often (measured on one core, docs/simulator-performance.md). V8 sizes the young
 * generation when it starts: `v8.setFlagsFromString` later has no effect (checked), hence a
 * second process rather than a flag set here.
 */
import { runNode } from './run-node.js';

export const SIMULATOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
const SIMULATOR_COMMANDS = new Set(['simulate', 'staff']);

/** The node flags this command still needs: none for other commands, none when already given. */
export function nodeFlagsToAdd(args: readonly string[], execArgv: readonly string[]): readonly string[] {
  if (!SIMULATOR_COMMANDS.has(args[0] ?? '')) return [];
  const name = (flag: string): string => flag.split('=')[0] ?? flag;
  return SIMULATOR_NODE_FLAGS.filter((flag) => !execArgv.some((a) => name(a) === name(flag)));
}

/** Runs `script args` again in a node with `flags` added, its output ours; resolves to its exit code. */
export function rerunWithFlags(script: string, args: readonly string[], flags: readonly string[]): Promise<number> {
  return runNode([...process.execArgv, ...flags, script, ...args]);
}

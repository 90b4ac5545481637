/**
 * Rules the schema cannot express: cross-references, policy (emergency numbers, the 7×24 pool),
 * calendar facts. Every check runs, so all problems are reported in one pass.
 */
import type { Reporter } from './reporter.js';
import type { SemanticInput } from './semantic-input.js';
import { checkDepartments, checkRetention } from './semantic-departments.js';
import { checkNumbers } from './semantic-numbers.js';
import { checkReferences } from './semantic-references.js';
import { checkAgentSkills, checkOverflowCycles, checkPoolQueue, checkUnstaffedQueues } from './semantic-queues.js';
import { checkNodes, checkTrunks } from './semantic-trunks.js';
import { checkCalendars, checkSchedules, checkTransitionDates } from './semantic-schedules.js';

const CHECKS: readonly ((input: SemanticInput, r: Reporter) => void)[] = [
  checkNumbers,
  checkReferences,
  checkOverflowCycles,
  checkPoolQueue,
  checkAgentSkills,
  checkUnstaffedQueues,
  checkSchedules,
  checkCalendars,
  checkTransitionDates,
  checkDepartments,
  checkRetention,
  checkTrunks,
  checkNodes,
];

export function runSemanticChecks(input: SemanticInput, reporter: Reporter): void {
  for (const check of CHECKS) check(input, reporter);
}

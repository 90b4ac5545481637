/**
 * Numbers and ids: each dialed number routes one way, emergency numbers stay separate
 * (policy: 110/119/120/122 are never consolidated into 12345), ids are unique.
 */
import { EMERGENCY_NUMBERS } from './schema.js';
import { formatPath, type PathSegments } from './problem.js';
import type { Reporter } from './reporter.js';
import type { Indexed, SemanticInput } from './semantic-input.js';

const EMERGENCY: ReadonlySet<string> = new Set(EMERGENCY_NUMBERS);
const EMERGENCY_LIST = EMERGENCY_NUMBERS.join(', ');
const STAYS_SEPARATE = `emergency lines (${EMERGENCY_LIST}) stay separate; 12345 agents reach them through transferTargets of kind emergency`;

export function checkNumbers(input: SemanticInput, r: Reporter): void {
  const { hotline } = input;
  if (EMERGENCY.has(hotline.number)) {
    r.report(['hotline', 'number'], `${hotline.number} is an emergency number, not a hotline`, { hint: STAYS_SEPARATE });
  }

  const targetNumbers = new Map<string, PathSegments>();
  for (const { index, value: target } of input.transferTargets) {
    const path = ['transferTargets', index];
    if (target.kind === 'emergency' && !EMERGENCY.has(target.number)) {
      r.report([...path, 'number'], `${target.number} is not an emergency number (${EMERGENCY_LIST})`, { hint: 'other numbers are transfer targets of kind region' });
    } else if (target.kind === 'region' && EMERGENCY.has(target.number)) {
      r.report([...path, 'kind'], `${target.number} is an emergency number, so kind must be emergency`);
    }
    if (!targetNumbers.has(target.number)) targetNumbers.set(target.number, [...path, 'number']);
  }

  const taken = new Map<string, PathSegments>([[hotline.number, ['hotline', 'number']]]);
  for (const { index, value: line } of input.lines) {
    const path = ['lines', index, 'number'];
    if (EMERGENCY.has(line.number)) {
      r.report(path, `${line.number} is an emergency number and cannot be a line`, { hint: STAYS_SEPARATE });
      continue;
    }
    const first = taken.get(line.number) ?? targetNumbers.get(line.number);
    if (first !== undefined) {
      r.report(path, `number ${line.number} is already used by ${formatPath(first)}`, { hint: `see ${r.describeLocation(first)}; a dialed number can route only one way` });
    } else {
      taken.set(line.number, path);
    }
  }

  reportDuplicateIds(input.agents.map(({ index, value }) => ({ index, value: value.id })), 'agents', 'agent id', r);
  reportDuplicateIds(input.transferTargets.map(({ index, value }) => ({ index, value: value.id })), 'transferTargets', 'transfer target id', r);
}

function reportDuplicateIds(ids: readonly Indexed<string>[], list: string, what: string, r: Reporter): void {
  const first = new Map<string, number>();
  for (const { index, value: id } of ids) {
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, index);
      continue;
    }
    const earlierPath = [list, earlier, 'id'];
    r.report([list, index, 'id'], `${what} "${id}" is used twice`, { hint: `first used by ${formatPath([list, earlier])} at ${r.describeLocation(earlierPath)}` });
  }
}

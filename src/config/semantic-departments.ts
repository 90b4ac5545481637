/**
 * Departments and retention: a webhook names where its secret is (an environment variable or a
 * file, exactly one — the secret itself never sits in the registry) and a URL that parses; lines
 * and departments refer to each other sensibly; retention periods that cannot all hold are flagged.
 */
import type { Reporter } from './reporter.js';
import type { SemanticInput } from './semantic-input.js';
import { closest } from './suggest.js';

export function checkDepartments(input: SemanticInput, r: Reporter): void {
  const lineDepartments = new Set(input.lines.map(({ value }) => value.department).filter((d) => d !== undefined));
  for (const [id, department] of input.departments) {
    const webhook = department.webhook;
    if (webhook === undefined) continue;
    const path = ['departments', id, 'webhook'];
    const sources = [webhook.secretEnv, webhook.secretFile].filter((s) => s !== undefined).length;
    if (sources !== 1) {
      r.report(path, sources === 0 ? 'webhook needs secretEnv or secretFile' : 'webhook has both secretEnv and secretFile: give one', {
        anchor: 'key',
        hint: `e.g. secretEnv: HOTLINE_WEBHOOK_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')} (the secret itself never goes in the registry)`,
      });
    }
    if (!URL.canParse(webhook.url)) r.report([...path, 'url'], `"${webhook.url}" is not a URL`);
    if (!lineDepartments.has(id)) {
      r.report(['departments', id], `no line has department "${id}": its webhook will receive nothing`, { severity: 'warning', anchor: 'key' });
    }
  }
  // Departments need not all be declared (only those with a webhook must): a line's department
  // that is not is only worth a word when it looks like a typo of one that is.
  const declared = [...input.departments.keys()];
  for (const { index, value: line } of input.lines) {
    if (line.department === undefined || input.departments.has(line.department)) continue;
    const near = closest(line.department, declared);
    if (near === undefined) continue;
    r.report(['lines', index, 'department'], `department "${line.department}" is not in departments: it gets no webhook`, {
      severity: 'warning', hint: `did you mean "${near}"?`,
    });
  }
}

export function checkRetention(input: SemanticInput, r: Reporter): void {
  const retention = input.retention;
  if (retention === undefined) return;
  const { callerNumberDays, callRecordsDays } = retention;
  if (callerNumberDays !== undefined && callRecordsDays !== undefined && callerNumberDays >= callRecordsDays) {
    r.report(['retention', 'callerNumberDays'], `callerNumberDays (${callerNumberDays}) is not shorter than callRecordsDays (${callRecordsDays}): records are deleted before their numbers would be masked`, {
      severity: 'warning',
    });
  }
  // A department receiving numbers in full has them in its feed items too: those must not outlive
  // the numbers in the records.
  const full = [...input.departments].filter(([, d]) => d.webhook?.callerNumbers === 'full').map(([id]) => id);
  const { outboxDays } = retention;
  if (callerNumberDays !== undefined && full.length > 0 && (outboxDays === undefined || outboxDays > callerNumberDays)) {
    r.report(['retention', outboxDays === undefined ? 'callerNumberDays' : 'outboxDays'], `departments ${full.join(', ')} receive caller numbers in full: their feed items keep them ${outboxDays === undefined ? 'forever' : `${outboxDays} days`}, longer than callerNumberDays (${callerNumberDays})`, {
      severity: 'warning', hint: `set outboxDays to ${callerNumberDays} or less`,
    });
  }
}

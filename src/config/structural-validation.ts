/**
 * Validates the shape of the registry against the TypeBox schema (ajv, all errors, defaults applied).
 *
 * Lines and prompts are unions. Validated as one `anyOf`, ajv reports every branch's complaints
 * ("must have transitionPrompt", "must not have subcenter", …) and applies no defaults inside
 * the union. So each line is validated against the one branch its `mode` selects, each prompt
 * against the branch its `file` / `text` key selects: the messages are about what the engineer meant.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { Type, type TSchema } from '@sinclair/typebox';
import { DualLine, Id, MergedLine, Prompt, Registry, SubcenterLine } from './schema.js';
import { reportAjvErrors } from './ajv-messages.js';
import type { PathSegments } from './problem.js';
import type { Report, Reporter } from './reporter.js';
import { closest } from './suggest.js';

const RegistryShell = Type.Object(
  {
    ...Registry.properties,
    lines: Type.Array(Type.Unknown(), { default: [] }),
    prompts: Type.Record(Id, Type.Unknown(), { additionalProperties: false }),
  },
  { additionalProperties: false },
);

const LINE_BRANCHES = { merged: MergedLine, dual: DualLine, subcenter: SubcenterLine } as const;
const LINE_MODES = Object.keys(LINE_BRANCHES);
const [FilePrompt, TextPrompt] = Prompt.anyOf;

let compiled: { shell: ValidateFunction; lines: Record<string, ValidateFunction>; file: ValidateFunction; text: ValidateFunction } | undefined;

function validators() {
  if (compiled === undefined) {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true });
    const compile = (schema: TSchema) => ajv.compile(schema);
    compiled = {
      shell: compile(RegistryShell),
      lines: Object.fromEntries(Object.entries(LINE_BRANCHES).map(([mode, schema]) => [mode, compile(schema)])),
      file: compile(FilePrompt),
      text: compile(TextPrompt),
    };
  }
  return compiled;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Validates `data` in place (defaults are written into it) and returns the paths of every
 * problem found, so the caller can tell which entries are sound enough for the semantic checks.
 */
export function validateStructure(data: unknown, reporter: Reporter): PathSegments[] {
  const found: PathSegments[] = [];
  const report: Report = (path, message, options) => {
    found.push(path);
    reporter.report(path, message, options);
  };
  const v = validators();
  const check = (validate: ValidateFunction, value: unknown, base: PathSegments) => {
    if (!validate(value)) reportAjvErrors(validate.errors ?? [], { base, data: value, report, sourceText: reporter.sourceText });
  };

  check(v.shell, data, []);
  if (!isRecord(data)) return found;
  const lines = data['lines'];
  if (Array.isArray(lines)) lines.forEach((line, i) => validateLine(line, ['lines', i], v.lines, check, report));
  const prompts = data['prompts'];
  if (isRecord(prompts)) {
    for (const [id, prompt] of Object.entries(prompts)) validatePrompt(prompt, ['prompts', id], check, report);
  }
  return found;
}

type Check = (validate: ValidateFunction, value: unknown, base: PathSegments) => void;

function validateLine(line: unknown, path: PathSegments, branches: Record<string, ValidateFunction>, check: Check, report: Report): void {
  if (!isRecord(line)) {
    report(path, `expected a mapping (number, name, mode, …), got ${Array.isArray(line) ? 'a list' : String(line)}`);
    return;
  }
  const mode = line['mode'];
  if (mode === undefined) {
    report(path, 'missing required key "mode"', { hint: `mode: one of ${LINE_MODES.join(', ')}` });
    return;
  }
  const branch = typeof mode === 'string' ? branches[mode] : undefined;
  if (branch === undefined) {
    const near = typeof mode === 'string' ? closest(mode, LINE_MODES) : undefined;
    report([...path, 'mode'], `must be one of ${LINE_MODES.join(', ')}`, near === undefined ? {} : { hint: `did you mean "${near}"?` });
    return;
  }
  check(branch, line, path);
}

function validatePrompt(prompt: unknown, path: PathSegments, check: Check, report: Report): void {
  const v = validators();
  const example = 'e.g. { text: "您好" } or { file: "local_stream://moh" }';
  if (!isRecord(prompt) || (!('file' in prompt) && !('text' in prompt))) {
    report(path, 'needs either file or text', { hint: example });
  } else if ('file' in prompt && 'text' in prompt) {
    report(path, 'has both file and text; a prompt is one or the other', { hint: example });
  } else {
    check('file' in prompt ? v.file : v.text, prompt, path);
  }
}

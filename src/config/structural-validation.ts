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

export interface StructureFindings {
  /** Paths of every problem, so the caller can tell which entries are sound. */
  readonly problemPaths: PathSegments[];
  /** Keys not in the schema (likely typos), as paths to the key. */
  readonly unknownKeys: PathSegments[];
}

/** Validates `data` in place: defaults are written into it. */
export function validateStructure(data: unknown, reporter: Reporter): StructureFindings {
  const found: PathSegments[] = [];
  const unknownKeys: PathSegments[] = [];
  const report: Report = (path, message, options) => {
    found.push(path);
    reporter.report(path, message, options);
  };
  const v = validators();
  const check = (validate: ValidateFunction, value: unknown, base: PathSegments) => {
    if (validate(value)) return;
    reportAjvErrors(validate.errors ?? [], { base, data: value, report, sourceText: reporter.sourceText, onUnknownKey: (p) => unknownKeys.push(p) });
  };

  const findings = { problemPaths: found, unknownKeys };
  check(v.shell, data, []);
  if (!isRecord(data)) return findings;
  const lines = data['lines'];
  if (Array.isArray(lines)) lines.forEach((line, i) => validateLine(line, ['lines', i], v.lines, check, report));
  const prompts = data['prompts'];
  if (isRecord(prompts)) {
    for (const [id, prompt] of Object.entries(prompts)) validatePrompt(prompt, ['prompts', id], check, report);
  }
  return findings;
}

/** Removes the keys at `paths` (from a failed load's data only: a loaded registry is never touched). */
export function removeKeys(data: unknown, paths: readonly PathSegments[]): void {
  for (const path of paths) {
    let node = data;
    for (const seg of path.slice(0, -1)) node = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[seg] : undefined;
    const last = path[path.length - 1];
    if (isRecord(node) && last !== undefined) delete node[last];
  }
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

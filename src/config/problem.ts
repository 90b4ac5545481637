/**
 * A problem found in a registry file, located precisely enough for an editor to jump to it.
 * Errors block loading; warnings are shown but the registry still loads.
 */
export type Severity = 'error' | 'warning';

export interface Problem {
  readonly file: string;
  /** 1-based; 0 means the file as a whole (e.g. it cannot be read). */
  readonly line: number;
  /** 1-based; 0 when line is 0. */
  readonly col: number;
  /** Readable path to the value, e.g. `lines[3].subcenter.dial`; '' for the document itself. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
  readonly severity: Severity;
}

/** A path as segments: record keys are strings, array indexes numbers. */
export type PathSegments = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

export function formatPath(segments: PathSegments): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  const path = p.path === '' ? '(document)' : p.path;
  const message = p.severity === 'warning' ? `warning: ${p.message}` : p.message;
  const head = `${where}  ${path}  ${message}`;
  return p.hint === undefined ? head : `${head}\n    hint: ${p.hint}`;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map(formatProblem).join('\n');
}

/** "2 errors, 1 warning" — for the last line of `hotline check`. */
export function summarizeProblems(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

export function compareProblems(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col;
}

export const isError = (p: Problem): boolean => p.severity === 'error';

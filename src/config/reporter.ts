/**
 * Collects problems found in the plain data and locates each one in the YAML source.
 * Checks only say *what* is wrong and *where in the data*; this turns that into line:col.
 */
import { formatPath, type PathSegments, type Problem, type Severity } from './problem.js';
import type { Anchor, SourceMap } from './yaml-source.js';

export interface ReportOptions {
  readonly hint?: string | undefined;
  readonly severity?: Severity;
  readonly anchor?: Anchor;
}

export type Report = (path: PathSegments, message: string, options?: ReportOptions) => void;

export interface Reporter {
  readonly report: Report;
  readonly problems: Problem[];
  /** "line 12" — for hints that point at a second place (the first of two duplicates). */
  readonly describeLocation: (path: PathSegments) => string;
  readonly sourceText: (path: PathSegments) => string | undefined;
}

export function createReporter(file: string, source: SourceMap): Reporter {
  const problems: Problem[] = [];
  const report: Report = (path, message, options = {}) => {
    const { line, col } = source.position(path, options.anchor);
    problems.push({
      file,
      line,
      col,
      path: formatPath(path),
      message,
      severity: options.severity ?? 'error',
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    });
  };
  return {
    report,
    problems,
    describeLocation: (path) => `line ${source.position(path).line}`,
    sourceText: (path) => source.sourceText(path),
  };
}

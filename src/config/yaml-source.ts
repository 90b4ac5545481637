/**
 * Parses registry YAML and keeps the node tree, so any problem found later in the plain data
 * can be pointed at the exact line:col of the value (or key) it is about.
 */
import { Composer, LineCounter, Parser, YAMLParseError, isAlias, isMap, isPair, isScalar, isSeq, type CST, type Document, type Node } from 'yaml';
import type { PathSegments, Problem } from './problem.js';
import { DEFAULT_YAML_LIMITS, documentBounds, roughDepthExceeds, type YamlLimits } from './yaml-bounds.js';

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** Which part of a map entry a problem points at: the value (usual) or the key (unknown keys). */
export type Anchor = 'value' | 'key';

export interface SourceMap {
  /** Position of the node at `path`; falls back to the deepest existing ancestor. */
  position(path: PathSegments, anchor?: Anchor): Position;
  /** The value exactly as written (e.g. `057512345` before YAML made it a number). */
  sourceText(path: PathSegments): string | undefined;
}

export type ParsedYaml =
  | { readonly ok: true; readonly data: unknown; readonly source: SourceMap; readonly warnings: Problem[] }
  | { readonly ok: false; readonly problems: Problem[] };

const YAML_HINTS: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs',
  DUPLICATE_KEY: 'each key may appear once in a mapping; merge the two entries',
  BAD_INDENT: 'check the indentation of this line against the lines above',
  MISSING_CHAR: 'a quote or bracket is probably not closed',
  MULTIPLE_DOCS: 'a registry is one YAML document; remove the `---` separator',
};

/** A garbage file yields an error per token: the first few say what is wrong, the count says how bad. */
export const MAX_YAML_ERRORS = 10;
/** The library quotes source text in some messages; a minified line must not become a megabyte of log. */
const MAX_MESSAGE_CHARS = 200;

const clip = (message: string): string =>
  message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS)}…`;

export function parseYaml(text: string, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): ParsedYaml {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return { ok: false, problems: [tooLarge(file, bytes, limits.maxBytes)] };
  const lineCounter = new LineCounter();
  const problemAt = (offset: number, message: string, hint: string): Problem => {
    // Before the library has run there is no LineCounter: count the newlines up to the offset.
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
    const col = Math.max(1, offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1);
    return { file, line, col, path: '', severity: 'error', message, hint };
  };
  const deepAt = roughDepthExceeds(text, limits.maxDepth);
  if (deepAt >= 0) return { ok: false, problems: [problemAt(deepAt, `YAML: nested deeper than ${limits.maxDepth} levels`, DEPTH_HINT)] };

  const { doc, cut } = composeBounded(text, lineCounter);
  const toProblem = (severity: Problem['severity']) => (e: { code: string; message: string; pos: [number, number] }): Problem => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    const hint = YAML_HINTS[e.code];
    return { file, line, col, path: '', message: `YAML: ${clip(e.message)}`, severity, ...(hint === undefined ? {} : { hint }) };
  };
  const warnings = doc.warnings.slice(0, MAX_YAML_ERRORS).map(toProblem('warning'));
  if (doc.errors.length > 0) {
    const shown = doc.errors.slice(0, MAX_YAML_ERRORS).map(toProblem('error'));
    const more = doc.errors.length - shown.length;
    const last = shown.at(-1);
    if ((more > 0 || cut) && last !== undefined) {
      const message = cut ? 'YAML: more errors after these; reading stopped here' : `YAML: ${more} more error${more === 1 ? '' : 's'} not shown`;
      shown.push({ ...last, message, hint: 'fix the first ones; the rest often follow from them' });
    }
    return { ok: false, problems: [...shown, ...warnings] };
  }
  if (doc.contents === null) {
    return {
      ok: false,
      problems: [{ file, line: 1, col: 1, path: '', severity: 'error', message: 'the file is empty', hint: 'start from config/hotline.example.yaml' }],
    };
  }
  const finding = documentBounds(doc, limits, MAX_YAML_ERRORS);
  if (finding !== undefined) {
    const at = (offset: number, message: string, hint: string): Problem => ({ file, ...lineCounter.linePos(offset), path: '', severity: 'error', message, hint });
    const problems = finding.kind === 'depth' ? [at(finding.offset, `YAML: nested deeper than ${limits.maxDepth} levels`, DEPTH_HINT)]
      : finding.kind === 'aliases' ? [at(finding.offset, `YAML: more than ${limits.maxAliases} aliases`, ALIAS_HINT)]
      : finding.offsets.map((o) => at(o, 'YAML: Map keys must be unique', YAML_HINTS.DUPLICATE_KEY ?? ''));
    return { ok: false, problems: [...problems, ...warnings] };
  }
  let data: unknown;
  try {
    // The library counts the anchored node with its aliases (times what each expands to): + 1, so
    // maxAliases plain aliases of one anchor pass, and a nest of aliases of aliases does not.
    data = doc.toJS({ maxAliasCount: limits.maxAliases + 1 });
  } catch (err) {
    // The library's guard against alias expansion ("billion laughs"): a ReferenceError.
    if (!(err instanceof ReferenceError)) throw err;
    return { ok: false, problems: [{ file, line: 1, col: 1, path: '', severity: 'error', message: `YAML: aliases expand beyond ${limits.maxAliases} nodes`, hint: ALIAS_HINT }] };
  }
  return { ok: true, data, source: sourceMapOf(doc, lineCounter), warnings };
}

/**
 * parseDocument, with the token stream cut off after MAX_YAML_ERRORS syntax errors: on garbage
 * the library makes an error per few bytes, and 8 MiB of it took minutes. Error objects are made
 * without stack traces (nobody reads a YAMLParseError's stack; capturing it was most of the time).
 */
function composeBounded(text: string, lineCounter: LineCounter): { doc: Document.Parsed; cut: boolean } {
  let cut = false;
  function* bounded(tokens: Iterable<CST.Token>): Generator<CST.Token> {
    let errors = 0;
    for (const token of tokens) {
      if (token.type === 'error' && (errors += 1) > MAX_YAML_ERRORS) { cut = true; return; }
      yield token;
    }
  }
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  // uniqueKeys is checked in documentBounds (linear); the library's check is quadratic.
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
  // Errors found while composing (a tab per line, `a: b: c` per line…) come through the
  // composer's onError, which it reads at each compose call: past the bound, stop composing.
  const hooks = composer as unknown as { onError: (source: unknown, code: string, message: string, warning?: boolean) => void };
  const report = hooks.onError;
  const composeErrors: YAMLParseError[] = [];
  hooks.onError = (source, code, message, warning) => {
    report(source, code, message, warning);
    if (warning === true) return;
    composeErrors.push(new YAMLParseError(errorPos(source), code as YAMLParseError['code'], message));
    if (composeErrors.length > MAX_YAML_ERRORS) throw STOP;
  };
  try {
    let doc: Document.Parsed | undefined;
    for (const next of composer.compose(bounded(new Parser(lineCounter.addNewLine).parse(text)), true, text.length)) {
      if (doc === undefined) { doc = next; continue; }
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
    if (doc === undefined) throw new Error('yaml: compose yielded no document'); // forceDoc: cannot happen
    return { doc, cut };
  } catch (err) {
    if (err !== STOP) throw err;
    return { doc: stoppedDocument(composeErrors), cut: true };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Thrown out of the composer's onError to stop composing; caught in composeBounded only. */
class StopComposing extends Error {}
const STOP = new StopComposing('too many YAML errors');

/** The composer's error sources: an offset, a range, or a token with an offset. */
function errorPos(source: unknown): [number, number] {
  if (typeof source === 'number') return [source, source + 1];
  if (Array.isArray(source)) return [Number(source[0]), Number(source[1])];
  const offset = (source as { offset?: number } | null)?.offset ?? 0;
  return [offset, offset + 1];
}

/** What parseYaml reads of a document when composing was stopped: its errors. */
function stoppedDocument(errors: YAMLParseError[]): Document.Parsed {
  return { errors, warnings: [], contents: null } as unknown as Document.Parsed;
}

const DEPTH_HINT = 'a registry is a few levels deep; this file is broken or hostile (REGISTRY_MAX_DEPTH)';
const ALIAS_HINT = 'write the values out instead of aliasing them (REGISTRY_MAX_ALIASES)';

function tooLarge(file: string, bytes: number, max: number): Problem {
  return {
    file, line: 0, col: 0, path: '', severity: 'error',
    message: `the file is ${bytes} bytes, over the ${max} byte limit`,
    hint: 'a registry is tens of KiB; check that this is the right file (REGISTRY_MAX_BYTES)',
  };
}

export { tooLarge as registryTooLarge };

function sourceMapOf(doc: Document, lineCounter: LineCounter): SourceMap {
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);

  /** Walks the path; returns the deepest node reached and, when the last step was a map entry, its key. */
  const walk = (path: PathSegments): { node: Node; key?: Node } => {
    let node = resolve(doc.contents) as Node;
    let key: Node | undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair === undefined) return key === undefined ? { node } : { node, key };
        key = pair.key as Node;
        const value = resolve(pair.value) as Node | null;
        // `key:` with nothing after it has no (or an empty) value node: the key is the place to point at.
        const empty = value === null || value.range?.[0] === value.range?.[1];
        node = empty ? key : value;
      } else if (isSeq(node)) {
        const item = resolve(node.items[Number(seg)]) as Node | undefined;
        if (item === undefined) return { node };
        node = item;
        key = undefined;
      } else {
        return key === undefined ? { node } : { node, key };
      }
    }
    return key === undefined ? { node } : { node, key };
  };

  const at = (node: Node | undefined): Position => lineCounter.linePos(node?.range?.[0] ?? 0);

  return {
    position(path, anchor = 'value') {
      const { node, key } = walk(path);
      return at(anchor === 'key' && key !== undefined ? key : node);
    },
    sourceText(path) {
      const { node } = walk(path);
      return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
    },
  };
}

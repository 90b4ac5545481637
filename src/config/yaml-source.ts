/**
 * Parses registry YAML and keeps the node tree, so any problem found later in the plain data
 * can be pointed at the exact line:col of the value (or key) it is about.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { PathSegments, Problem } from './problem.js';

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

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toProblem = (severity: Problem['severity']) => (e: { code: string; message: string; pos: [number, number] }): Problem => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    const hint = YAML_HINTS[e.code];
    return { file, line, col, path: '', message: `YAML: ${e.message}`, severity, ...(hint === undefined ? {} : { hint }) };
  };
  const warnings = doc.warnings.map(toProblem('warning'));
  if (doc.errors.length > 0) return { ok: false, problems: [...doc.errors.map(toProblem('error')), ...warnings] };
  if (doc.contents === null) {
    return {
      ok: false,
      problems: [{ file, line: 1, col: 1, path: '', severity: 'error', message: 'the file is empty', hint: 'start from config/hotline.example.yaml' }],
    };
  }
  return { ok: true, data: doc.toJS({ maxAliasCount: 1000 }), source: sourceMapOf(doc, lineCounter), warnings };
}

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

/**
 * Bounds on a registry's YAML, checked before the `yaml` library spends time or memory on it.
 * A hostile or broken file must end in one clear error in bounded time: the library's CST parser
 * takes seconds on 100,000 nested `[`, and composing an unclosed nest of that depth exhausts
 * memory. So a linear scan bounds the nesting first; the composed document is then measured
 * exactly (depth, aliases), and alias expansion is capped by the library's own maxAliasCount.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { LIMIT_DEFAULTS } from '../settings/limits.js';

export interface YamlLimits {
  readonly maxBytes: number;
  readonly maxAliases: number;
  readonly maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = Object.freeze({
  maxBytes: LIMIT_DEFAULTS.registryMaxBytes,
  maxAliases: LIMIT_DEFAULTS.registryMaxAliases,
  maxDepth: LIMIT_DEFAULTS.registryMaxDepth,
});

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

const isBlank = (c: number): boolean => c === SPACE || c === TAB || c === LF || c === CR || Number.isNaN(c);

/**
 * Rough nesting depth, one pass, O(length): block indentation levels + compact `- ` items and
 * `key: ` mappings on a line + open flow brackets. It can overcount in odd files (a bracket in plain text) and
 * undercount a sequence written at its key's indentation by one level per level, so it is a
 * coarse guard; the exact check is `documentBounds`. Returns the offset where the rough depth
 * first passes `limit`, or -1.
 */
export function roughDepthExceeds(text: string, limit: number): number {
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Start of a line.
    let indent = 0;
    while (i < n && text.charCodeAt(i) === SPACE) { i += 1; indent += 1; }
    const first = text.charCodeAt(i);
    const blankLine = i >= n || first === LF || first === CR || first === 0x23; /* # */
    if (!blankLine && flow === 0) {
      while (indents.length > 0 && (indents.at(-1) ?? 0) >= indent) indents.pop();
      indents.push(indent);
    }
    let inline = 0;
    let keysOnLine = 0;
    let atValueStart = true;
    for (; i < n; i += 1) {
      const c = text.charCodeAt(i);
      if (c === LF) { i += 1; break; }
      const prevBlank = i === 0 || isBlank(text.charCodeAt(i - 1));
      if (c === 0x23 && prevBlank) { // comment to end of line
        while (i < n && text.charCodeAt(i) !== LF) i += 1;
        continue;
      }
      if ((c === 0x22 || c === 0x27) && (prevBlank || flow > 0 || atValueStart)) { // quoted scalar: skip it
        i = skipQuoted(text, i, c);
        atValueStart = false;
        continue;
      }
      if ((c === 0x5b || c === 0x7b) && (prevBlank || flow > 0)) { // [ {
        flow += 1;
      } else if ((c === 0x5d || c === 0x7d) && flow > 0) { // ] }
        flow -= 1;
      } else if ((c === 0x2d || c === 0x3f) && atValueStart && isBlank(text.charCodeAt(i + 1)) && flow === 0) { // "- " "? "
        inline += 1;
        continue;
      } else if (c === 0x3a && flow === 0 && !prevBlank && isBlank(text.charCodeAt(i + 1))) { // "key: "
        // The line's first key is its mapping, counted with its indentation; a second is a mapping
        // inside it (`a: b: c` is not YAML, yet the library spends seconds on a long line of it).
        keysOnLine += 1;
        if (keysOnLine > 1) inline += 1;
        atValueStart = true;
        continue;
      }
      if (c !== SPACE && c !== TAB) atValueStart = false;
      if (indents.length + inline + flow > limit) return i;
    }
    if (indents.length + inline + flow > limit) return Math.min(i, n);
  }
  return -1;
}

/** Index just past the closing quote (or the end of the text when it never closes). */
function skipQuoted(text: string, from: number, quote: number): number {
  for (let i = from + 1; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (quote === 0x22 && c === 0x5c) { i += 1; continue; } // backslash escape in "…"
    if (c === quote) {
      if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) { i += 1; continue; } // '' in '…'
      return i + 1;
    }
  }
  return text.length;
}

export type BoundsFinding =
  | { readonly kind: 'depth'; readonly offset: number }
  | { readonly kind: 'aliases'; readonly offset: number; readonly count: number }
  /** Offsets of keys that repeat an earlier key of their mapping (the first `max` of them). */
  | { readonly kind: 'duplicate-keys'; readonly offsets: readonly number[] };

/**
 * Exact depth, alias count and duplicate keys of a composed document, in one walk without
 * recursion (no stack to exhaust). Duplicate keys are found here with a Set per mapping: the
 * library's own uniqueKeys check compares each key with every earlier one, quadratic in a
 * mapping's size (a generated file of 200,000 keys took minutes).
 */
export function documentBounds(doc: Document, limits: YamlLimits, maxDuplicates = 10): BoundsFinding | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  const duplicates: number[] = [];
  let aliases = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (isAlias(node)) {
      aliases += 1;
      if (aliases > limits.maxAliases) return { kind: 'aliases', offset: offsetOf(node), count: aliases };
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    const inner = depth + 1;
    if (inner > limits.maxDepth) return { kind: 'depth', offset: offsetOf(node) };
    const keys = isMap(node) ? new Set<unknown>() : undefined;
    // Pushed last-first, so they are visited in file order (the first alias past the limit is reported).
    const items = node.items as unknown[];
    for (let k = items.length - 1; k >= 0; k -= 1) {
      const item = items[k];
      if (isPair(item)) {
        stack.push({ node: item.value, depth: inner }, { node: item.key, depth: inner });
      } else {
        stack.push({ node: item, depth: inner });
      }
    }
    if (keys !== undefined && duplicates.length < maxDuplicates) {
      for (const item of items) {
        // Scalars compared by value, as the library does (`a` and "a" are one key).
        if (!isPair(item) || !isScalar(item.key)) continue;
        const value = item.key.value;
        if (keys.has(value)) {
          duplicates.push(offsetOf(item.key));
          if (duplicates.length >= maxDuplicates) break;
        } else {
          keys.add(value);
        }
      }
    }
  }
  return duplicates.length > 0 ? { kind: 'duplicate-keys', offsets: duplicates.sort((a, b) => a - b) } : undefined;
}

const offsetOf = (node: Node): number => node.range?.[0] ?? 0;

export function yamlLimitsOf(settings: { readonly registryMaxBytes: number; readonly registryMaxAliases: number; readonly registryMaxDepth: number }): YamlLimits {
  return { maxBytes: settings.registryMaxBytes, maxAliases: settings.registryMaxAliases, maxDepth: settings.registryMaxDepth };
}

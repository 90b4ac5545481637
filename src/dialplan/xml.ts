/**
 * The one place FreeSWITCH XML text is escaped. Every attribute value and every comment the
 * dialplan generator writes goes through here, so a line name such as `交通 & "路政" <专席>`
 * cannot break the document or smuggle in markup.
 */

export type XmlNode =
  | { readonly kind: 'element'; readonly name: string; readonly attrs: readonly (readonly [string, string])[]; readonly children: readonly XmlNode[] }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'blank' };

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Escapes text for a double-quoted attribute value (also safe as element text). */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Line breaks inside an attribute are normalised to spaces by XML parsers; keep them visible.
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');
}

/**
 * Comment text cannot contain `--` nor end with `-`; entities are not decoded inside comments,
 * so instead of escaping we break such runs up. `<` is written as `&lt;` (shown literally):
 * FreeSWITCH's preprocessor drops every line containing `<include>`, `</include>` or `<?`
 * (switch_xml.c preprocess), which must not happen to a comment's closing line.
 * Line breaks are kept (multi-line comments).
 */
export function sanitizeComment(text: string): string {
  let safe = text.replace(/</g, '&lt;').replace(/-{2,}/g, (run) => run.split('').join(' '));
  if (safe.endsWith('-')) safe += ' ';
  return safe;
}

export function element(name: string, attrs: Record<string, string> = {}, children: readonly XmlNode[] = []): XmlNode {
  if (!NAME.test(name)) throw new Error(`invalid XML element name "${name}"`);
  for (const key of Object.keys(attrs)) {
    if (!NAME.test(key)) throw new Error(`invalid XML attribute name "${key}"`);
  }
  return { kind: 'element', name, attrs: Object.entries(attrs), children };
}

export function comment(text: string): XmlNode {
  return { kind: 'comment', text };
}

export const blank: XmlNode = { kind: 'blank' };

function renderNode(node: XmlNode, indent: string, out: string[]): void {
  switch (node.kind) {
    case 'blank':
      out.push('');
      return;
    case 'comment': {
      const lines = sanitizeComment(node.text).split('\n');
      if (lines.length === 1) {
        out.push(`${indent}<!-- ${lines[0] ?? ''} -->`);
      } else {
        out.push(`${indent}<!--`, ...lines.map((l) => (l === '' ? '' : `${indent}     ${l}`)), `${indent}-->`);
      }
      return;
    }
    case 'element': {
      const attrs = node.attrs.map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
      if (node.children.length === 0) {
        out.push(`${indent}<${node.name}${attrs}/>`);
        return;
      }
      out.push(`${indent}<${node.name}${attrs}>`);
      for (const child of node.children) renderNode(child, `${indent}  `, out);
      out.push(`${indent}</${node.name}>`);
    }
  }
}

/**
 * Renders the nodes, two-space indented, with a trailing newline. No `<?xml?>` declaration:
 * FreeSWITCH splices dialplan files into freeswitch.xml with X-PRE-PROCESS include, so they
 * are fragments (like the stock conf/dialplan/*.xml), UTF-8 by default.
 */
export function renderDocument(nodes: readonly XmlNode[]): string {
  const out: string[] = [];
  for (const node of nodes) renderNode(node, '', out);
  // The preprocessor silently drops a line naming its own directive without a `<` before it;
  // an action lost that way would change the call flow, so refuse instead.
  const dropped = out.find((line) => /x-pre-process/i.test(line));
  if (dropped !== undefined) throw new Error(`text contains "X-PRE-PROCESS", which FreeSWITCH's preprocessor would drop: ${dropped.trim()}`);
  return `${out.join('\n')}\n`;
}

/** Test helper: a FreeSWITCH dialplan file read back with a real XML parser, in document order. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { loadRegistryFile } from '../../../src/config/load.js';
import type { Registry } from '../../../src/config/schema.js';

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

export interface ParsedCondition {
  field: string;
  expression: string;
  actions: [string, string | undefined][];
  antiActions: [string, string | undefined][];
}
export interface ParsedExtension { name: string; conditions: ParsedCondition[] }
export interface ParsedDialplan { context: string; extensions: ParsedExtension[] }

const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', commentPropName: '#comment',
  parseAttributeValue: false, processEntities: true, htmlEntities: false,
});

function tagOf(node: Ordered): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function children(node: Ordered, tag: string): Ordered[] {
  const kids = node[tag];
  return Array.isArray(kids) ? (kids as Ordered[]) : [];
}

function only(nodes: Ordered[], tag: string): Ordered[] {
  return nodes.filter((n) => tagOf(n) === tag);
}

export function assertWellFormed(xml: string): void {
  // The file is a fragment FreeSWITCH splices in; as a whole it must still be one element.
  const result = XMLValidator.validate(xml);
  if (result !== true) throw new Error(`not well-formed XML: ${result.err.msg} at line ${result.err.line}`);
}

export function parseDialplan(xml: string): ParsedDialplan {
  assertWellFormed(xml);
  const top = parser.parse(xml) as Ordered[];
  const include = only(top, 'include')[0];
  if (!include) throw new Error('no <include>');
  const context = only(children(include, 'include'), 'context')[0];
  if (!context) throw new Error('no <context>');
  return {
    context: context[':@']?.name ?? '',
    extensions: only(children(context, 'context'), 'extension').map((ext) => ({
      name: ext[':@']?.name ?? '',
      conditions: only(children(ext, 'extension'), 'condition').map((c) => ({
        field: c[':@']?.field ?? '',
        expression: c[':@']?.expression ?? '',
        actions: only(children(c, 'condition'), 'action').map((a) => [a[':@']?.application ?? '', a[':@']?.data] as [string, string | undefined]),
        antiActions: only(children(c, 'condition'), 'anti-action').map((a) => [a[':@']?.application ?? '', a[':@']?.data] as [string, string | undefined]),
      })),
    })),
  };
}

export async function exampleRegistry(): Promise<Registry> {
  const result = await loadRegistryFile('config/hotline.example.yaml');
  if (!result.ok) throw new Error('example registry does not load');
  return result.registry;
}

/**
 * The `name=value` settings of `set` and `multiset` actions, in order, as FreeSWITCH applies
 * them (mod_dptools.c: multiset splits on the character after `^^`; base_set splits at the first `=`).
 */
export function settingsOf(actions: readonly [string, string | undefined][]): [string, string][] {
  const out: [string, string][] = [];
  for (const [app, data = ''] of actions) {
    let items: string[];
    if (app === 'set') items = [data];
    else if (app === 'multiset') items = data.startsWith('^^') ? data.slice(3).split(data.charAt(2)) : data.split(' ');
    else continue;
    for (const item of items) {
      const eq = item.indexOf('=');
      out.push([item.slice(0, eq), item.slice(eq + 1)]);
    }
  }
  return out;
}

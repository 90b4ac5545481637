/**
 * Which FreeSWITCH nodes the router keeps an inbound event-socket link to: every node of the
 * registry's `nodes:` (the ones behind the SIP edge), or, without that list, the one node named
 * by ESL_HOST / ESL_PORT — the single-node setup, unchanged.
 */

export interface EslTarget {
  /** The node's name in the registry; `freeswitch` for the single node of ESL_HOST. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** The single node's name: also its /health component's name, as before `nodes:` existed. */
export const SINGLE_NODE = 'freeswitch';

/** `host:port` or `[v6]:port` → host (brackets dropped: what net.connect wants) and port. */
export function splitEslAddress(value: string): { readonly host: string; readonly port: number } | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):([0-9]{1,5})$/.exec(value);
  const port = Number(m?.[2]);
  if (m?.[1] === undefined || !(port >= 1 && port <= 65_535)) return undefined;
  const host = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return { host, port };
}

export function eslTargets(
  nodes: readonly { readonly name: string; readonly esl: string }[] | undefined,
  single: { readonly host: string; readonly port: number },
): readonly EslTarget[] {
  if (nodes === undefined || nodes.length === 0) return [{ name: SINGLE_NODE, host: single.host, port: single.port }];
  return nodes.map((n) => {
    const address = splitEslAddress(n.esl);
    // The registry's schema already refuses such a node: reaching here is a programming error.
    if (address === undefined) throw new RangeError(`node ${n.name}: esl ${JSON.stringify(n.esl)} is not host:port`);
    return { name: n.name, ...address };
  });
}

/**
 * Whether a request comes from one of the FreeSWITCH nodes behind the edge (an agent call) or
 * from outside (a carrier's call). A node sends over UDP from its SIP profile's own socket, so its
 * host:port is exact; from the node's host on another port (TCP, a second profile) it is still the
 * node — unless a trunk claims that address too (one machine as carrier and node, as in a lab),
 * where only the exact port tells them apart. Node hosts must be IP addresses to be recognised.
 */
import { parsePeerAddress } from './addresses.js';

export interface NodeSources {
  /** The node's name, or undefined when the request is not a node's. */
  nodeOf(source: string, port: string | number): string | undefined;
}

function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  const m = /^(.*):([0-9]{1,5})$/.exec(hostPort);
  return m === null ? undefined : { host: m[1] ?? '', port: m[2] ?? '' };
}

export function nodeSources(
  nodes: readonly { readonly name: string; readonly sip: string }[],
  claimedByTrunk: (source: string) => boolean,
): NodeSources {
  const exact = new Map<string, string>();
  const byHost = new Map<string, string>();
  for (const n of nodes) {
    const hp = splitHostPort(n.sip);
    const address = hp === undefined ? undefined : parsePeerAddress(hp.host);
    if (hp === undefined || address === undefined) continue;
    exact.set(`${address.toString()}|${hp.port}`, n.name);
    if (!byHost.has(address.toString())) byHost.set(address.toString(), n.name);
  }
  return {
    nodeOf(source, port) {
      const address = parsePeerAddress(source);
      if (address === undefined) return undefined;
      const key = address.toString();
      return exact.get(`${key}|${String(port)}`) ?? (claimedByTrunk(source) ? undefined : byHost.get(key));
    },
  };
}

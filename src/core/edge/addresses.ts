/**
 * Trunk source addresses: an IPv4 / IPv6 address or CIDR block, and which trunk a packet's
 * source address belongs to. A socket reports IPv4 peers of a dual-stack listener as
 * IPv4-mapped IPv6 (::ffff:203.0.113.10); both spellings are the same carrier.
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface SourceBlock {
  /** As written in the registry. */
  readonly text: string;
  readonly network: Address;
  readonly prefixLength: number;
}

export type ParsedSource =
  | { readonly ok: true; readonly block: SourceBlock }
  | { readonly ok: false; readonly reason: string; readonly suggestion?: string };

/** Dotted quads and IPv6 only: ipaddr.js also reads "3232235777" and "0xc0.0.0.1" as IPv4. */
function isPlainAddress(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || (text.includes(':') && ipaddr.IPv6.isValid(text));
}

/** A bare address is a block of one: /32 (IPv4) or /128 (IPv6). */
export function parseSource(text: string): ParsedSource {
  const slash = text.indexOf('/');
  if (slash < 0) {
    if (!isPlainAddress(text)) return { ok: false, reason: `"${text}" is not an IP address` };
    const address = ipaddr.process(text);
    return { ok: true, block: { text, network: address, prefixLength: address.kind() === 'ipv4' ? 32 : 128 } };
  }
  if (!isPlainAddress(text.slice(0, slash))) return { ok: false, reason: `"${text}" is not a CIDR block (address/prefix length)` };
  let cidr: [Address, number];
  try {
    cidr = ipaddr.parseCIDR(text);
  } catch {
    return { ok: false, reason: `"${text}" is not a CIDR block (address/prefix length)` };
  }
  const [address, prefixLength] = cidr;
  const network = address.kind() === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(text)
    : ipaddr.IPv6.networkAddressFromCIDR(text);
  if (network.toString() !== address.toString()) {
    // 203.0.113.5/28 most likely means the block 203.0.113.0/28, or the host 203.0.113.5: ask.
    return {
      ok: false,
      reason: `"${text}" has host bits set`,
      suggestion: `${network.toString()}/${prefixLength} for the block, or ${address.toString()} for the one host`,
    };
  }
  return { ok: true, block: { text, network, prefixLength } };
}

function contains(block: SourceBlock, address: Address): boolean {
  return address.kind() === block.network.kind() && address.match(block.network, block.prefixLength);
}

/** Two blocks overlap when either holds the other's network address (blocks nest or are disjoint). */
export function blocksOverlap(a: SourceBlock, b: SourceBlock): boolean {
  return contains(a, b.network) || contains(b, a.network);
}

/** The peer address as a socket or drachtio reports it; undefined when it is not an address. */
export function parsePeerAddress(text: string): Address | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return isPlainAddress(bare) ? ipaddr.process(bare) : undefined;
}

export interface SourceMatcher<T> {
  /** The owner of the most specific block holding `peer`; undefined for an unknown or malformed peer. */
  match(peer: string): T | undefined;
}

export function sourceMatcher<T>(owners: readonly { readonly owner: T; readonly sources: readonly string[] }[]): SourceMatcher<T> {
  const blocks: { block: SourceBlock; owner: T }[] = [];
  for (const { owner, sources } of owners) {
    for (const text of sources) {
      const parsed = parseSource(text);
      if (!parsed.ok) throw new Error(`trunk source ${parsed.reason}`);
      blocks.push({ block: parsed.block, owner });
    }
  }
  blocks.sort((a, b) => b.block.prefixLength - a.block.prefixLength);
  return {
    match(peer) {
      const address = parsePeerAddress(peer);
      if (address === undefined) return undefined;
      return blocks.find(({ block }) => contains(block, address))?.owner;
    },
  };
}

/**
 * Which FreeSWITCH node holds a call. The call's channel data (its outbound socket's first
 * frame) carries the FreeSWITCH that sent it: `Core-UUID` (new at every start of that process)
 * and `FreeSWITCH-Switchname` (switch.conf.xml `switchname`, the host name by default). Each
 * inbound link learns the same two of its node when it connects. The Core-UUID decides first: two
 * nodes on one host share a default switchname. A switchname equal to a node's registry name
 * also matches, so a call is placed before its node's link has ever connected.
 */

export interface KnownNode {
  readonly name: string;
  /** What the node's link learned (`api switchname`), once connected. */
  readonly switchname?: string | undefined;
  /** What the node's link learned (`global_getvar core_uuid`, or any event's Core-UUID). */
  readonly coreUuid?: string | undefined;
}

/** What a call says about its FreeSWITCH (headers of its channel data). */
export interface CallOrigin {
  readonly coreUuid?: string | undefined;
  readonly switchname?: string | undefined;
}

export function callOrigin(channelData: Readonly<Record<string, string | undefined>>): CallOrigin {
  return { coreUuid: channelData['Core-UUID'], switchname: channelData['FreeSWITCH-Switchname'] };
}

/** The node's name, or undefined when no node can be told (several nodes, nothing matches). */
export function nodeHoldingCall(nodes: readonly KnownNode[], call: CallOrigin): string | undefined {
  // One node: it holds every call, whatever its switchname (the single-node setup of ESL_HOST).
  if (nodes.length === 1) return nodes[0]?.name;
  const { coreUuid, switchname } = call;
  if (coreUuid !== undefined && coreUuid !== '') {
    const byCore = nodes.find((n) => n.coreUuid === coreUuid);
    if (byCore !== undefined) return byCore.name;
  }
  if (switchname === undefined || switchname === '') return undefined;
  // A switchname two connected nodes share (both default to the host name) tells nothing.
  const bySwitch = nodes.filter((n) => n.switchname === switchname);
  if (bySwitch.length === 1) return bySwitch[0]?.name;
  if (bySwitch.length > 1) return undefined;
  return nodes.find((n) => n.name === switchname)?.name;
}

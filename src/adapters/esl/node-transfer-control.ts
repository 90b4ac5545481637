/**
 * TransferControl over several FreeSWITCH nodes: every command of a call goes to the node that
 * holds it (its caller's channel is there, and the conference, the agent's leg and the target's
 * leg FreeSWITCH makes for it), each node having its own EslTransferControl on its own inbound
 * link. A command for a channel whose call is no longer known (a target hung up after the caller
 * left) goes to the node it was sent to before; failing that, to every node — uuid_kill of a
 * channel a node does not have is "no such channel", which is not an error.
 */
import type { CallLegs, DialOutcome, DialRequest, TransferControl } from '../../app/transfer/ports.js';

export interface NodeControls {
  /** The node holding the call, or undefined when it cannot be told. */
  nodeOf(callSid: string): string | undefined;
  /** The node's control; undefined for a node not configured. */
  control(node: string): TransferControl | undefined;
  readonly nodes: readonly string[];
}

/** How many calls and channels are remembered (oldest forgotten first): far above live transfers. */
const REMEMBERED = 10_000;

export class NodeNotKnownError extends Error {
  constructor(callSid: string) {
    super(`call ${callSid}: the FreeSWITCH node holding it is not known (no node's switchname or Core-UUID matches the call's)`);
    this.name = 'NodeNotKnownError';
  }
}

export class NodeRoutedTransferControl implements TransferControl {
  private readonly callNode = new Map<string, string>();
  private readonly channelNode = new Map<string, string>();

  constructor(private readonly nodes: NodeControls) {}

  async enterConference(legs: CallLegs): Promise<{ readonly agentUuid: string }> {
    const { node, control } = this.route(legs);
    const r = await control.enterConference(legs);
    remember(this.channelNode, r.agentUuid, node);
    return r;
  }

  holdCaller(legs: CallLegs): Promise<void> {
    return this.route(legs).control.holdCaller(legs);
  }

  unholdCaller(legs: CallLegs): Promise<void> {
    return this.route(legs).control.unholdCaller(legs);
  }

  dialTarget(legs: CallLegs, req: DialRequest): { readonly uuid: string; readonly outcome: Promise<DialOutcome> } {
    const { node, control } = this.route(legs);
    const r = control.dialTarget(legs, req);
    remember(this.channelNode, r.uuid, node);
    return r;
  }

  async hangup(uuid: string, cause: string): Promise<void> {
    const node = this.channelNode.get(uuid);
    const control = node === undefined ? undefined : this.nodes.control(node);
    if (control !== undefined) return control.hangup(uuid, cause);
    const all = this.nodes.nodes.map((n) => this.nodes.control(n)).filter((c): c is TransferControl => c !== undefined);
    const results = await Promise.allSettled(all.map((c) => c.hangup(uuid, cause)));
    // One node that answered is enough: the others do not have the channel, or are down.
    if (results.some((r) => r.status === 'fulfilled')) return;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  releaseCaller(legs: CallLegs): Promise<void> {
    return this.route(legs).control.releaseCaller(legs);
  }

  onHangup(listener: (uuid: string, cause: string) => void): () => void {
    const offs = this.nodes.nodes.map((n) => this.nodes.control(n)?.onHangup((uuid, cause) => {
      this.channelNode.delete(uuid);
      listener(uuid, cause);
    }));
    return () => { for (const off of offs) off?.(); };
  }

  /** The call's node: asked while the call is known, then remembered (its last commands come after it ended). */
  private route(legs: CallLegs): { readonly node: string; readonly control: TransferControl } {
    const node = this.nodes.nodeOf(legs.callSid) ?? this.callNode.get(legs.callSid);
    const control = node === undefined ? undefined : this.nodes.control(node);
    if (node === undefined || control === undefined) throw new NodeNotKnownError(legs.callSid);
    remember(this.callNode, legs.callSid, node);
    remember(this.channelNode, legs.callerUuid, node);
    if (legs.agentUuid !== undefined) remember(this.channelNode, legs.agentUuid, node);
    return { node, control };
  }
}

function remember(map: Map<string, string>, key: string, node: string): void {
  map.delete(key);
  map.set(key, node);
  if (map.size > REMEMBERED) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}

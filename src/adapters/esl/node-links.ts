/**
 * One inbound event-socket link per FreeSWITCH node (the registry's `nodes:`, or the single node
 * of ESL_HOST), each an InboundEslClient that reconnects by itself with backoff. A link learns its
 * node's identity when it connects — `api switchname` and `global_getvar core_uuid`, the two a
 * call's channel data carries — so a call is acted on over the link of the node that holds it.
 * A link that is down fails only the commands for its own node's calls.
 */
import type { FsEvent } from './codec/types.js';
import { InboundEslClient } from './inbound-client.js';
import type { EslState, InboundEslOptions } from './inbound-types.js';
import type { EslLogger } from './logger.js';
import { nodeHoldingCall, type CallOrigin, type EslTarget, type KnownNode } from '../../core/fs-nodes/index.js';

export interface NodeLink {
  readonly name: string;
  readonly target: EslTarget;
  readonly client: InboundEslClient;
  /** What the link learned of its node (empty until it first connects). */
  readonly identity: KnownNode;
}

export interface NodeLinksOptions {
  readonly targets: readonly EslTarget[];
  readonly password: string;
  /** Each link logs through a child of this with `{ node }`. */
  readonly logger: EslLogger & { child?(bindings: object): EslLogger };
  /** What every client is given besides host, port, password and logger (events, limits, backoff…). */
  readonly client?: Omit<InboundEslOptions, 'host' | 'port' | 'password' | 'logger'>;
}

interface MutableIdentity { name: string; switchname?: string | undefined; coreUuid?: string | undefined }

export class EslNodeLinks {
  readonly links: readonly NodeLink[];
  private readonly byName = new Map<string, NodeLink>();
  private readonly log: EslLogger;

  constructor(opts: NodeLinksOptions) {
    this.log = opts.logger;
    this.links = opts.targets.map((target) => {
      const logger = opts.logger.child?.({ node: target.name }) ?? opts.logger;
      const client = new InboundEslClient({ ...opts.client, host: target.host, port: target.port, password: opts.password, logger });
      const identity: MutableIdentity = { name: target.name };
      const link: NodeLink = { name: target.name, target, client, identity };
      client.on('connected', () => { void this.identify(link, identity); });
      // A restarted FreeSWITCH has a new Core-UUID: the link's own events say so before anything else.
      client.on('event', (e) => {
        const core = e.headers['Core-UUID'];
        if (core !== undefined && core !== '' && core !== identity.coreUuid) identity.coreUuid = core;
      });
      this.byName.set(target.name, link);
      return link;
    });
  }

  /** Starts every link; none waits for another (a node down does not hold the others up). */
  start(): void {
    for (const link of this.links) {
      // The first attempt may fail while FreeSWITCH starts; the client keeps retrying by itself.
      link.client.connect().catch((err: unknown) => { this.log.warn({ err, node: link.name }, 'freeswitch inbound esl not connected yet'); });
    }
  }

  get(name: string): NodeLink | undefined {
    return this.byName.get(name);
  }

  /** The link of the node that holds a call, by what its channel data says; undefined when no node can be told. */
  holding(call: CallOrigin): NodeLink | undefined {
    const name = nodeHoldingCall(this.links.map((l) => l.identity), call);
    return name === undefined ? undefined : this.byName.get(name);
  }

  states(): readonly { readonly name: string; readonly state: EslState; readonly target: EslTarget }[] {
    return this.links.map((l) => ({ name: l.name, state: l.client.state, target: l.target }));
  }

  /** Every link's events, with the node they came from; returns the unsubscribe. */
  onEvent(listener: (e: FsEvent, node: string) => void): () => void {
    const offs = this.links.map((l) => {
      const each = (e: FsEvent): void => listener(e, l.name);
      l.client.on('event', each);
      return () => { l.client.off('event', each); };
    });
    return () => { for (const off of offs) off(); };
  }

  async close(): Promise<void> {
    await Promise.all(this.links.map((l) => l.client.close()));
  }

  private async identify(link: NodeLink, identity: MutableIdentity): Promise<void> {
    const [switchname, core] = await Promise.allSettled([link.client.api('switchname'), link.client.api('global_getvar core_uuid')]);
    if (switchname.status === 'fulfilled' && switchname.value.trim() !== '') identity.switchname = switchname.value.trim();
    if (core.status === 'fulfilled' && core.value.trim() !== '') identity.coreUuid = core.value.trim();
    const failed = [switchname, core].find((r) => r.status === 'rejected');
    if (failed !== undefined) this.log.warn({ err: failed.reason as unknown, node: link.name }, 'freeswitch node identity not read; its calls are matched by switchname or node name');
    else this.log.info({ node: link.name, switchname: identity.switchname, coreUuid: identity.coreUuid }, 'freeswitch node identified');
  }
}

/**
 * The edge's handling of one new INVITE: refuse what the pure decision refuses, hold each trunk
 * to its caps, then hand the call to the best FreeSWITCH node and on to the next when a node
 * does not answer in time or answers 5xx — the caller only hears a failure no node could avoid.
 * SIP itself (B2BUA legs, OPTIONS) sits behind the `place` port; this is plain logic to test.
 */
import type { Trunk } from '../../config/schema.js';
import {
  edgeDecision, failsOver, sourceMatcher, TrunkCaps,
  type EdgeDecision, type InviteView, type NodeBoard, type RefusalReason, type SourceMatcher,
} from '../../core/edge/index.js';
import type { RoutingTable } from '../../core/routing/index.js';
import type { Logger } from 'pino';

/** What became of one attempt on one node. */
export type PlaceResult =
  | { readonly ok: true; readonly ended: Promise<void> }
  /** status undefined: no provisional answer in time (the attempt was cancelled). */
  | { readonly ok: false; readonly status: number | undefined; readonly callerGone: boolean };

export interface EdgeNodeAddress {
  readonly name: string;
  /** host:port the node's SIP profile listens on. */
  readonly sip: string;
}

export interface EdgeMetricsPort {
  decided(seconds: number): void;
  refused(reason: RefusalReason | 'cps' | 'concurrent' | 'draining' | 'no-node', trunk: string | undefined): void;
  offered(trunk: string, node: string): void;
  failedOver(node: string, status: number | undefined): void;
  connected(trunk: string, node: string): void;
}

export type Respond = (status: number, headers?: Readonly<Record<string, string>>) => void;

export interface PlaceOptions {
  /**
   * Another node could take the call: give this one up when it gives no provisional answer in
   * time. False for the last node to try: nobody else could take the call, so it is worth more to
   * wait longer for this node's answer (EDGE_LAST_NODE_TIMEOUT_MS) than to refuse the caller — a loaded
   * node can take more than the invite timeout to answer, and drachtio-server never passes its
   * "100 Trying" on to the application (sofia-sip nta.c, outgoing_recv: without NTATAG_PASS_100 a
   * 100 is not reported), so a node that answers without ringing looks silent until its 200.
   */
  readonly failover: boolean;
}

/** Places the INVITE being handled on one node, as a new leg to `uri` carrying `headers`. */
export type Place = (node: EdgeNodeAddress, uri: string, headers: Readonly<Record<string, string>>, options: PlaceOptions) => Promise<PlaceResult>;

export interface EdgeCallsDeps {
  readonly table: RoutingTable;
  readonly trunks: readonly Trunk[];
  readonly nodes: readonly EdgeNodeAddress[];
  readonly board: NodeBoard;
  readonly now: () => number;
  /** A monotonic clock in seconds, for the decision time. */
  readonly elapsed: () => number;
  readonly metrics: EdgeMetricsPort;
  readonly logger: Logger;
}

export class EdgeCalls {
  private readonly matcher: SourceMatcher<Trunk>;
  private readonly caps = new Map<string, TrunkCaps>();
  private readonly nodeByName: ReadonlyMap<string, EdgeNodeAddress>;
  private draining = false;
  private inProgress = 0;

  constructor(private readonly deps: EdgeCallsDeps) {
    this.matcher = sourceMatcher(deps.trunks.map((t) => ({ owner: t, sources: t.sources })));
    for (const t of deps.trunks) this.caps.set(t.name, new TrunkCaps(t.maxCallsPerSecond, t.maxConcurrentCalls));
    this.nodeByName = new Map(deps.nodes.map((n) => [n.name, n]));
  }

  /** From now on new INVITEs get 503 (carriers take their alternate route); calls in progress go on. */
  drain(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  get calls(): number {
    return this.inProgress;
  }

  decide(invite: InviteView): EdgeDecision {
    const started = this.deps.elapsed();
    const decision = edgeDecision(this.deps.table, this.matcher.match(invite.source), invite, this.deps.now());
    this.deps.metrics.decided(this.deps.elapsed() - started);
    return decision;
  }

  async onInvite(invite: InviteView, respond: Respond, place: Place): Promise<void> {
    const { metrics, logger } = this.deps;
    if (this.draining) {
      metrics.refused('draining', undefined);
      respond(503, { 'Retry-After': '30' });
      return;
    }
    const decision = this.decide(invite);
    if (decision.kind === 'refuse') {
      metrics.refused(decision.reason, decision.trunk);
      logger.info({ source: invite.source, reason: decision.reason, status: decision.status, detail: decision.detail }, 'edge refused a call');
      respond(decision.status);
      return;
    }
    const caps = this.caps.get(decision.trunk);
    const verdict = caps?.admit(this.deps.now()) ?? { ok: true as const };
    if (!verdict.ok) {
      metrics.refused(verdict.reason, decision.trunk);
      respond(503, { 'Retry-After': String(verdict.retryAfterSeconds) });
      return;
    }
    this.inProgress++;
    try {
      const connected = await this.toNodes(decision, respond, place);
      if (connected !== undefined) await connected.ended;
    } finally {
      this.inProgress--;
      caps?.release();
    }
  }

  /** Tries the nodes best first; resolves when the call is connected (with its end) or given up. */
  private async toNodes(decision: Extract<EdgeDecision, { kind: 'forward' }>, respond: Respond, place: Place): Promise<{ ended: Promise<void> } | undefined> {
    const { board, metrics, logger } = this.deps;
    const tried = new Set<string>();
    let lastStatus: number | undefined;
    for (;;) {
      const untried = board.candidates().filter((n) => !tried.has(n));
      const node = untried[0] === undefined ? undefined : this.nodeByName.get(untried[0]);
      if (node === undefined) break;
      tried.add(node.name);
      metrics.offered(decision.trunk, node.name);
      board.callPlaced(node.name);
      const failover = untried.length > 1;
      let result: PlaceResult;
      try {
        result = await place(node, `sip:${decision.line}@${node.sip}`, decision.headers, { failover });
      } catch (err) {
        result = { ok: false, status: 500, callerGone: false };
        logger.error({ err, node: node.name }, 'edge could not place a call on a node');
      }
      if (result.ok || (!result.callerGone && !failsOver(result.status))) board.inviteAnswered(node.name);
      if (result.ok) {
        metrics.connected(decision.trunk, node.name);
        return { ended: result.ended.finally(() => board.callEnded(node.name)) };
      }
      board.callEnded(node.name);
      if (result.callerGone) return undefined;
      if (!failsOver(result.status)) {
        // The node answered for the call (busy, rejected): that answer is the caller's.
        respond(result.status ?? 500);
        return undefined;
      }
      board.inviteFailed(node.name);
      metrics.failedOver(node.name, result.status);
      logger.warn({ node: node.name, status: result.status ?? 'timeout', line: decision.line }, 'edge failed over to the next node');
      lastStatus = result.status;
    }
    metrics.refused('no-node', decision.trunk);
    logger.error({ line: decision.line, tried: [...tried], lastStatus }, 'edge found no FreeSWITCH node for a call');
    respond(503, { 'Retry-After': '5' });
    return undefined;
  }
}

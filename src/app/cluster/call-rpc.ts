/**
 * Request and reply between router nodes about a call: the node that receives an HTTP request
 * (or a DTMF digit) for a call it does not hold asks the node that does, and waits for the
 * answer with a timeout. Over a transport port (Redis pub/sub: one channel per node), so it is
 * testable in memory.
 *
 * What can go wrong, each with its own code for the caller to map: nobody listens on the owner's
 * channel (`owner-gone`: the process is gone), no reply within the timeout (`timeout`: the owner
 * is stalled or the reply was lost — pub/sub is fire-and-forget), the store cannot be reached
 * (`unavailable`). A message that is not ours (wrong shape, unknown id, a late reply) is dropped.
 */
import type { Clock } from '../../core/ports.js';
import type { Logger } from '../../lib/logger.js';
import type { TimerHandle, Timers } from '../timers.js';

export type RpcReply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly code: string; readonly message: string };

export type RpcEnvelope =
  | { readonly rpc: 'req'; readonly id: string; readonly from: string; readonly body: unknown }
  | { readonly rpc: 'res'; readonly id: string; readonly from: string; readonly reply: RpcReply };

export interface RpcTransport {
  /** Start receiving what is sent to this node (decoded, not yet checked). */
  listen(nodeId: string, handler: (msg: unknown) => void): Promise<void>;
  /** False when nobody listens on that node's channel. */
  send(nodeId: string, msg: RpcEnvelope): Promise<boolean>;
  close(): Promise<void>;
}

export type RpcFailure = 'owner-gone' | 'timeout' | 'unavailable';

export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(readonly code: RpcFailure, message: string) {
    super(message);
  }
}

export interface CallRpcDeps {
  readonly nodeId: string;
  readonly transport: RpcTransport;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** default 10 s: longer than the slowest transfer step on the owner (entering the conference
   * retries its member commands for up to 5 s while the caller joins), shorter than an HTTP client's patience */
  readonly timeoutMs?: number;
}

export type RpcServe = (body: unknown, from: string) => Promise<RpcReply>;

interface Pending {
  readonly resolve: (r: RpcReply) => void;
  readonly timer: TimerHandle;
}

export const DEFAULT_RPC_TIMEOUT_MS = 10_000;

function isReply(r: unknown): r is RpcReply {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  return o.ok === true ? 'value' in o : o.ok === false && typeof o.code === 'string' && typeof o.message === 'string';
}

function envelope(m: unknown): RpcEnvelope | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  if (typeof o.id !== 'string' || typeof o.from !== 'string') return undefined;
  if (o.rpc === 'req' && 'body' in o) return o as RpcEnvelope;
  if (o.rpc === 'res' && isReply(o.reply)) return o as RpcEnvelope;
  return undefined;
}

export class CallRpc {
  private readonly pending = new Map<string, Pending>();
  private next = 0;
  private serve: RpcServe | undefined;
  private readonly timeoutMs: number;
  private readonly log: Logger;

  constructor(private readonly d: CallRpcDeps) {
    this.timeoutMs = d.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    this.log = d.logger.child({ component: 'call-rpc' });
  }

  get nodeId(): string {
    return this.d.nodeId;
  }

  /** Starts receiving: requests go to `serve`, replies to the requests waiting for them. */
  async start(serve: RpcServe): Promise<void> {
    this.serve = serve;
    await this.d.transport.listen(this.d.nodeId, (m) => { this.onMessage(m); });
  }

  /** Asks `node`; rejects with RpcError (owner-gone, timeout, unavailable). */
  request(node: string, body: unknown, timeoutMs = this.timeoutMs): Promise<RpcReply> {
    const id = `${this.d.nodeId}:${(this.next += 1).toString(36)}`;
    return new Promise<RpcReply>((resolve, reject) => {
      const timer = this.d.timers.at(this.d.clock.now() + timeoutMs, () => {
        if (this.pending.delete(id)) reject(new RpcError('timeout', `node ${node} did not answer within ${timeoutMs} ms`));
      });
      this.pending.set(id, { resolve, timer });
      this.d.transport.send(node, { rpc: 'req', id, from: this.d.nodeId, body }).then((heard) => {
        if (heard || !this.pending.has(id)) return;
        this.settle(id);
        reject(new RpcError('owner-gone', `nobody listens for node ${node}`));
      }, (err: unknown) => {
        if (!this.pending.has(id)) return;
        this.settle(id);
        reject(new RpcError('unavailable', `cannot reach node ${node}: ${err instanceof Error ? err.message : String(err)}`));
      });
    });
  }

  /** Requests still waiting fail as timed out; nothing more is received. */
  async close(): Promise<void> {
    for (const id of [...this.pending.keys()]) this.settle(id)?.resolve({ ok: false, code: 'timeout', message: 'node closing' });
    this.serve = undefined;
    await this.d.transport.close();
  }

  private settle(id: string): Pending | undefined {
    const p = this.pending.get(id);
    if (p === undefined) return undefined;
    this.pending.delete(id);
    this.d.timers.cancel(p.timer);
    return p;
  }

  private onMessage(m: unknown): void {
    const e = envelope(m);
    if (e === undefined) {
      this.log.warn({ kind: typeof m }, 'call rpc: message ignored (not a request or reply)');
      return;
    }
    if (e.rpc === 'res') {
      // A reply nobody waits for (timed out, or not ours) is dropped.
      this.settle(e.id)?.resolve(e.reply);
      return;
    }
    const serve = this.serve;
    if (serve === undefined) return;
    serve(e.body, e.from).catch((err: unknown): RpcReply => {
      this.log.error({ err, from: e.from }, 'call rpc: request failed');
      return { ok: false, code: 'internal', message: err instanceof Error ? err.message : String(err) };
    }).then((reply) => this.d.transport.send(e.from, { rpc: 'res', id: e.id, from: this.d.nodeId, reply }))
      .catch((err: unknown) => { this.log.warn({ err, to: e.from }, 'call rpc: reply not sent'); });
  }
}

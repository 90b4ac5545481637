/**
 * Any router node acts on any call. The HTTP transfer routes and the agents' DTMF feature codes
 * land on whichever node the load balancer (or FreeSWITCH's event stream) picked; only the node
 * holding the call's socket has its session and transfer state. A node asked about a call it
 * does not hold finds the owner in the shared live-call directory and forwards the request over
 * the call RPC; the owner's answer (or refusal, with its code) is returned as if it were local.
 *
 * Owner trouble has its own codes: the owner's heartbeat is gone or nobody listens on its channel
 * (HOTLINE_ERR_CALL_OWNER_GONE), it did not answer in time (HOTLINE_ERR_CALL_OWNER_UNREACHABLE).
 *
 * DTMF: every node connected to the FreeSWITCH of an agent's leg hears its DTMF events; the
 * owner acts on them, the others forward (another FreeSWITCH's events reach only the nodes
 * connected to it). Each digit is acted on once, keyed by its event (Core-UUID, Event-Sequence).
 */
import type { TargetView } from '../../core/transfer/index.js';
import type { Logger } from '../../lib/logger.js';
import { RpcError, type CallRpc, type RpcReply } from '../cluster/call-rpc.js';
import type { LiveCallDirectory } from '../cluster/live-calls.js';
import { TransferError, type TransferErrorCode } from './errors.js';
import type { TransferCalls } from './ports.js';
import type { TransferService, TransferView } from './service.js';

type CallOp =
  | { readonly op: 'view' | 'agent-of' | 'three-way' | 'complete' | 'cancel' }
  | { readonly op: 'start'; readonly target: string }
  | { readonly op: 'dtmf'; readonly uuid: string; readonly digit: string; readonly key: string };

interface CallRequest {
  readonly callSid: string;
  readonly call: CallOp;
}

const CODES = new Set<string>([
  'HOTLINE_ERR_UNKNOWN_CALL', 'HOTLINE_ERR_UNKNOWN_TARGET', 'HOTLINE_ERR_TRANSFER_LIMIT', 'HOTLINE_ERR_TARGET_CLOSED',
  'HOTLINE_ERR_TRANSFER_STATE', 'HOTLINE_ERR_CALL_STATE', 'HOTLINE_ERR_TRANSFER_FAILED', 'HOTLINE_ERR_STORE_UNAVAILABLE',
  'HOTLINE_ERR_CALL_OWNER_GONE', 'HOTLINE_ERR_CALL_OWNER_UNREACHABLE',
] satisfies TransferErrorCode[]);

const OPS = new Set(['view', 'agent-of', 'three-way', 'complete', 'cancel', 'start', 'dtmf']);

function request(body: unknown): CallRequest | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const r = body as { callSid?: unknown; call?: { op?: unknown; target?: unknown; uuid?: unknown; digit?: unknown; key?: unknown } };
  if (typeof r.callSid !== 'string' || typeof r.call !== 'object' || !OPS.has(String(r.call.op))) return undefined;
  if (r.call.op === 'start' && typeof r.call.target !== 'string') return undefined;
  if (r.call.op === 'dtmf' && (typeof r.call.uuid !== 'string' || typeof r.call.digit !== 'string' || typeof r.call.key !== 'string')) return undefined;
  return body as CallRequest;
}

/** The last `size` keys seen (DTMF events heard twice: directly and forwarded). */
class Seen {
  private readonly keys = new Set<string>();
  constructor(private readonly size: number) {}

  first(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.size) this.keys.delete(this.keys.values().next().value as string);
    return true;
  }
}

export interface AnyNodeTransfersDeps {
  readonly local: TransferService;
  readonly calls: TransferCalls;
  readonly logger: Logger;
  /** Several nodes: where the calls are, and the way to their owners. Absent on one node. */
  readonly cluster?: { readonly directory: LiveCallDirectory; readonly rpc: CallRpc };
}

export class AnyNodeTransfers {
  private readonly seen = new Seen(4_096);
  private readonly log: Logger;

  constructor(private readonly d: AnyNodeTransfersDeps) {
    this.log = d.logger.child({ component: 'transfer' });
  }

  targets(): TargetView[] {
    return this.d.local.targets();
  }

  view(callSid: string): Promise<TransferView> {
    return this.on(callSid, { op: 'view' });
  }

  agentOf(callSid: string): Promise<string | undefined> {
    return this.on(callSid, { op: 'agent-of' });
  }

  start(callSid: string, target: string): Promise<TransferView> {
    return this.on(callSid, { op: 'start', target });
  }

  threeWay(callSid: string): Promise<TransferView> {
    return this.on(callSid, { op: 'three-way' });
  }

  complete(callSid: string): Promise<TransferView> {
    return this.on(callSid, { op: 'complete' });
  }

  cancel(callSid: string): Promise<TransferView> {
    return this.on(callSid, { op: 'cancel' });
  }

  /**
   * A DTMF event heard on this node's inbound connection; `key` names the event
   * (Core-UUID:Event-Sequence), undefined when it has no sequence (then it is not deduplicated).
   */
  dtmf(uuid: string, digit: string, key: string | undefined): void {
    if (this.d.local.knowsAgentLeg(uuid)) {
      if (key === undefined || this.seen.first(key)) this.d.local.agentDtmf(uuid, digit);
      return;
    }
    if (key === undefined) return;
    const cluster = this.d.cluster;
    if (cluster === undefined) return;
    void this.forwardDtmf(cluster, uuid, digit, key).catch((err: unknown) => {
      this.log.warn({ err, uuid }, 'transfer: feature code digit not forwarded');
    });
  }

  /** Serves the other nodes' requests about the calls this node holds (give it to CallRpc.start). */
  readonly serve = async (body: unknown): Promise<RpcReply> => {
    const req = request(body);
    if (req === undefined) return { ok: false, code: 'HOTLINE_ERR_BAD_REQUEST', message: 'not a call request' };
    try {
      return { ok: true, value: (await this.here(req.callSid, req.call)) ?? null };
    } catch (err) {
      if (err instanceof TransferError) return { ok: false, code: err.code, message: err.message };
      throw err;
    }
  };

  private async forwardDtmf(cluster: NonNullable<AnyNodeTransfersDeps['cluster']>, uuid: string, digit: string, key: string): Promise<void> {
    const callSid = await cluster.directory.byLeg(uuid);
    if (callSid === undefined) return;
    const rec = await cluster.directory.get(callSid);
    if (rec === undefined || rec.agentUuid !== uuid || rec.node === cluster.rpc.nodeId || !rec.ownerAlive) return;
    await cluster.rpc.request(rec.node, { callSid, call: { op: 'dtmf', uuid, digit, key } } satisfies CallRequest);
  }

  private async here(callSid: string, call: CallOp): Promise<unknown> {
    const { local } = this.d;
    switch (call.op) {
      case 'view': return local.view(callSid);
      case 'agent-of': return local.agentOf(callSid);
      case 'start': return local.start(callSid, call.target);
      case 'three-way': return local.threeWay(callSid);
      case 'complete': return local.complete(callSid);
      case 'cancel': return local.cancel(callSid);
      case 'dtmf':
        if (this.seen.first(call.key)) local.agentDtmf(call.uuid, call.digit);
        return null;
    }
  }

  private async on<T>(callSid: string, call: CallOp): Promise<T> {
    const cluster = this.d.cluster;
    if (cluster === undefined || this.d.calls.get(callSid) !== undefined) return (await this.here(callSid, call)) as T;
    let rec;
    try {
      rec = await cluster.directory.get(callSid);
    } catch (err) {
      this.log.warn({ err, callSid }, 'transfer: live-call directory unreachable');
      throw new TransferError('HOTLINE_ERR_STORE_UNAVAILABLE', 'cannot find the node holding the call: the shared state is unreachable');
    }
    // Unknown everywhere, or ours by the record but no longer here: the local answer (404) stands.
    if (rec === undefined || rec.node === cluster.rpc.nodeId) return (await this.here(callSid, call)) as T;
    if (!rec.ownerAlive) throw new TransferError('HOTLINE_ERR_CALL_OWNER_GONE', `the node holding call "${callSid}" (${rec.node}) is gone`);
    let reply: RpcReply;
    try {
      reply = await cluster.rpc.request(rec.node, { callSid, call } satisfies CallRequest);
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      if (err.code === 'owner-gone') throw new TransferError('HOTLINE_ERR_CALL_OWNER_GONE', `the node holding call "${callSid}" (${rec.node}) is gone`);
      if (err.code === 'timeout') throw new TransferError('HOTLINE_ERR_CALL_OWNER_UNREACHABLE', `the node holding call "${callSid}" (${rec.node}) did not answer`);
      throw new TransferError('HOTLINE_ERR_STORE_UNAVAILABLE', err.message);
    }
    if (reply.ok) return (reply.value ?? undefined) as T;
    const code = CODES.has(reply.code) ? reply.code as TransferErrorCode : 'HOTLINE_ERR_TRANSFER_FAILED';
    throw new TransferError(code, reply.message);
  }
}

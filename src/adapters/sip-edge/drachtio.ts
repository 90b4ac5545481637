/**
 * The thin drachtio-srf side of the edge: an INVITE's view for the pure decision, a B2BUA leg to
 * a FreeSWITCH node with a provisional-answer timeout, and OPTIONS keep-alives. Everything read
 * from a message is guarded: drachtio-server parsed it, but the values are still the peer's.
 */
import type Srf from 'drachtio-srf';
import type { EdgeNodeAddress, PlaceOptions, PlaceResult } from '../../app/edge/edge-calls.js';
import type { InviteView, NodeBoard } from '../../core/edge/index.js';

type SrfRequest = Srf.SrfRequest;
type SrfResponse = Srf.SrfResponse;

export function inviteView(req: SrfRequest): InviteView {
  return {
    source: typeof req.source_address === 'string' ? req.source_address : '',
    requestUri: typeof req.uri === 'string' ? req.uri : '',
    header(name) {
      try {
        const value: unknown = req.get(name);
        return typeof value === 'string' ? value : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export function respondWith(res: SrfResponse) {
  return (status: number, headers?: Readonly<Record<string, string>>): void => {
    if (res.finalResponseSent) return;
    res.send(status, headers === undefined ? {} : { headers });
  };
}

interface SipError { readonly status?: unknown }

/**
 * One attempt on one node. When another node could take the call (`failover`), no provisional
 * answer within `timeoutMs` → the attempt is reported as a timeout right away, so the caller moves
 * to the next node instead of waiting out SIP's 32 s timer B: the leg itself cannot end sooner,
 * since a CANCEL must wait for a provisional answer (RFC 3261 §9.1) that a hung node never sends.
 * The leg is cancelled if one comes; one that still connects after the attempt was given up is
 * hung up (both sides: the caller's dialog went with it). The last node is waited for longer
 * (`lastNodeTimeoutMs`, PlaceOptions), never without a bound: a leg that never settles would hold
 * its call's cap slot for good.
 */
export function placer(srf: Srf, req: SrfRequest, res: SrfResponse, timeoutMs: number, lastNodeTimeoutMs: number) {
  let callerGone = false;
  req.on('cancel', () => { callerGone = true; });
  return (_node: EdgeNodeAddress, uri: string, headers: Readonly<Record<string, string>>, options: PlaceOptions): Promise<PlaceResult> => new Promise((resolve) => {
    let timedOut = false;
    let uacRequest: SrfRequest | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      uacRequest?.cancel(() => undefined);
      resolve({ ok: false, status: undefined, callerGone });
    }, options.failover ? timeoutMs : lastNodeTimeoutMs);
    srf.createB2BUA(req, res, uri, { headers: { ...headers }, passFailure: false }, {
      cbRequest: (sent) => { uacRequest = sent; },
      cbProvisional: () => clearTimeout(timer),
    }).then(({ uas, uac }) => {
      clearTimeout(timer);
      if (timedOut) {
        uac.destroy();
        uas.destroy();
        return;
      }
      const ended = new Promise<void>((done) => {
        uas.on('destroy', () => { uac.destroy(); done(); });
        uac.on('destroy', () => { uas.destroy(); done(); });
      });
      resolve({ ok: true, ended });
    }, (err: SipError) => {
      clearTimeout(timer);
      if (timedOut) return;
      const status = typeof err.status === 'number' ? err.status : 500;
      resolve({ ok: false, status, callerGone: callerGone || status === 487 });
    });
  });
}

/** srf.request's real signature; its shipped types are wrong. */
type RequestFn = (uri: string, opts: { method: string; headers?: Record<string, string> }, cb: (err: unknown, req: SrfRequest) => void) => unknown;

/**
 * Whether a response came from the far end. drachtio-server answers for an unreachable peer
 * itself (503 on ICMP port unreachable, with no source address): read as the node's 503, that
 * would show a dead node as up and draining instead of down.
 */
function fromPeer(answer: unknown): answer is { status: number } {
  if (typeof answer !== 'object' || answer === null) return false;
  const { source_address: source, status } = answer as { source_address?: unknown; status?: unknown };
  return typeof source === 'string' && source !== '' && typeof status === 'number';
}

/** Sends OPTIONS to every node each `intervalMs`; no answer within `timeoutMs` is a miss. */
export function startKeepAlives(srf: Srf, nodes: readonly EdgeNodeAddress[], board: NodeBoard, intervalMs: number, timeoutMs: number): () => void {
  const request = (srf.request as unknown as RequestFn).bind(srf);
  const probe = (node: EdgeNodeAddress): void => {
    let settled = false;
    const settle = (status: number | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      board.keepAlive(node.name, status);
    };
    const timer = setTimeout(() => settle(undefined), timeoutMs);
    try {
      request(`sip:${node.sip}`, { method: 'OPTIONS', headers: { 'User-Agent': 'hotline-edge' } }, (err, sent) => {
        if (err !== null && err !== undefined) return settle(undefined);
        sent.on('response', (answer) => settle(fromPeer(answer) ? answer.status : undefined));
      });
    } catch {
      settle(undefined);
    }
  };
  const tick = (): void => { for (const n of nodes) probe(n); };
  tick();
  const interval = setInterval(tick, intervalMs);
  return () => clearInterval(interval);
}

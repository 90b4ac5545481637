/**
 * The drachtio-srf side of agents at the edge: a REGISTER's view for the registrar, and the
 * proxying of a node's INVITE to an agent's registered phones. The edge stays in the dialog
 * (Record-Route), so the BYE and re-INVITEs between node and phone pass through it too — the
 * node never needs a route to the phones' network.
 */
import type Srf from 'drachtio-srf';
import type { ProxyOutcome, ProxyTo } from '../../app/edge/agent-calls.js';
import type { RegisterView } from '../../app/edge/registrar.js';
import { inviteView } from './drachtio.js';

export function registerView(req: Srf.SrfRequest): RegisterView {
  const port: unknown = req.source_port;
  return { ...inviteView(req), sourcePort: typeof port === 'string' || typeof port === 'number' ? String(port) : '' };
}

/** srf.proxyRequest's real promise: its shipped types say void. */
type ProxyFn = (req: Srf.SrfRequest, destination: string[], opts: Srf.ProxyRequestOptions) => Promise<{ finalStatus?: unknown }>;

/** Rings every contact at once; no phone answering within `ringSeconds` ends the attempt (the node also gives up on its own). */
export function proxier(srf: Srf, req: Srf.SrfRequest, ringSeconds: number): ProxyTo {
  const proxy = (srf.proxyRequest as unknown as ProxyFn).bind(srf);
  return async (contacts): Promise<ProxyOutcome> => {
    const result = await proxy(req, [...contacts], {
      forking: 'simultaneous', recordRoute: true, remainInDialog: true, finalTimeout: `${ringSeconds}s`,
    });
    return { finalStatus: typeof result.finalStatus === 'number' ? result.finalStatus : undefined };
  };
}

/**
 * A FreeSWITCH node ringing an agent through the edge: the node INVITEs `sip:<agent id>@<edge>`,
 * the edge looks the agent's phones up in the shared registrations and proxies the INVITE to them
 * (all at once: the first to answer takes the call), so whichever node took the caller reaches the
 * agent wherever the phone registered. Only nodes may do this (the composition root checks the
 * source); the SDP passes unchanged, media flows between the node and the phone.
 */
import type { Logger } from 'pino';
import { uriUser, type InviteView } from '../../core/edge/index.js';
import type { Respond } from './edge-calls.js';
import type { AgentRegistrations } from './registrations.js';

export interface ProxyOutcome {
  /** The final status the phones gave (the best one drachtio-server forwarded); undefined when none came. */
  readonly finalStatus: number | undefined;
}

/** Proxies the INVITE being handled to these contacts, forking in parallel. */
export type ProxyTo = (contacts: readonly string[]) => Promise<ProxyOutcome>;

export type AgentCallResult = 'connected' | 'unknown-agent' | 'not-registered' | 'store' | 'failed';

export interface AgentCallsDeps {
  readonly agents: ReadonlySet<string>;
  readonly store: AgentRegistrations;
  readonly now: () => number;
  readonly metrics: { agentCall(result: AgentCallResult): void };
  readonly logger: Logger;
}

export class AgentCalls {
  constructor(private readonly deps: AgentCallsDeps) {}

  async onNodeInvite(view: InviteView, respond: Respond, proxy: ProxyTo): Promise<void> {
    const { deps } = this;
    const agent = uriUser(view.requestUri);
    if (agent === undefined || !deps.agents.has(agent)) {
      deps.metrics.agentCall('unknown-agent');
      respond(404);
      return;
    }
    let contacts: readonly string[];
    try {
      contacts = (await deps.store.bindings(agent, deps.now())).map((b) => b.contact);
    } catch (err) {
      deps.logger.error({ err, agent }, 'edge registrations store failed; agent call refused');
      deps.metrics.agentCall('store');
      respond(503, { 'Retry-After': '5' });
      return;
    }
    if (contacts.length === 0) {
      deps.metrics.agentCall('not-registered');
      // 480: the agent exists but no phone of theirs is registered now; the router tries another agent.
      respond(480);
      return;
    }
    const outcome = await proxy(contacts);
    const connected = outcome.finalStatus !== undefined && outcome.finalStatus >= 200 && outcome.finalStatus < 300;
    deps.metrics.agentCall(connected ? 'connected' : 'failed');
    if (!connected) deps.logger.info({ agent, status: outcome.finalStatus ?? 'none', phones: contacts.length }, 'edge: agent call not answered');
  }
}

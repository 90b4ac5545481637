/**
 * Where agents' phones are registered: the state store port the edge keeps bindings in. In
 * memory for one edge; in Redis when several edge processes share one drachtio-server or sit
 * behind one address, so a phone registered through one edge is reachable through any.
 * Each binding expires on its own (`expiresAt`); an expired one is never returned.
 */

/** A phone of an agent, as registered. */
export interface AgentBinding {
  /** The contact URI the phone registered: where the edge sends INVITEs for the agent. */
  readonly contact: string;
  /** Epoch ms after which the binding is gone unless refreshed. */
  readonly expiresAt: number;
  /** ip:port the REGISTER came from (for the operator: a contact behind NAT differs from it). */
  readonly source: string;
}

export interface AgentRegistrations {
  /** Adds or refreshes one binding; past MAX_CONTACTS the binding expiring soonest goes. */
  bind(agentId: string, binding: AgentBinding, now: number): Promise<void>;
  unbind(agentId: string, contact: string): Promise<void>;
  unbindAll(agentId: string): Promise<void>;
  /** The agent's bindings not expired at `now`, soonest expiry first. */
  bindings(agentId: string, now: number): Promise<readonly AgentBinding[]>;
}

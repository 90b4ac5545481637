/**
 * The two timings the FreeSWITCH bench reads off the SIP wire, whichever ACD placed the calls:
 * - connect: a caller's INVITE reaching FreeSWITCH's carrier port → FreeSWITCH's INVITE to an
 *   agent for that caller. The agent leg carries the caller's number in From (both the router's
 *   `bridge` and mod_callcenter's originate set the caller id), and every bench caller has its own
 *   number, so the From user ties the two legs together.
 * - freed: an agent's BYE (the agent hangs up) → FreeSWITCH's next INVITE to that same agent.
 * Retransmissions are ignored: only the first INVITE of each Call-ID counts.
 */
import type { SipMessage } from './sip.js';

export interface WirePorts {
  /** FreeSWITCH's carrier-facing SIP port (callers send to it). */
  readonly carrier: number;
  /** FreeSWITCH's agent-facing SIP port (it sends agent INVITEs from it). */
  readonly agents: number;
}

function firstInvites(msgs: readonly SipMessage[], keep: (m: SipMessage) => boolean): SipMessage[] {
  const seen = new Set<string>();
  const out: SipMessage[] = [];
  for (const m of msgs) {
    if (m.method !== 'INVITE' || m.cseqMethod !== 'INVITE' || !keep(m) || seen.has(m.callId)) continue;
    seen.add(m.callId);
    out.push(m);
  }
  return out;
}

export const callerInvites = (msgs: readonly SipMessage[], ports: WirePorts): SipMessage[] => firstInvites(msgs, (m) => m.dstPort === ports.carrier);
export const agentInvites = (msgs: readonly SipMessage[], ports: WirePorts): SipMessage[] => firstInvites(msgs, (m) => m.srcPort === ports.agents);

export interface ConnectTimes {
  /** ms, one per caller that reached an agent, in caller order. */
  readonly ms: number[];
  /** Callers whose INVITE was seen but no agent INVITE for them. */
  readonly unconnected: number;
}

export function connectTimes(msgs: readonly SipMessage[], ports: WirePorts): ConnectTimes {
  const firstAgentInvite = new Map<string, number>();
  for (const m of agentInvites(msgs, ports)) {
    if (!firstAgentInvite.has(m.fromUser)) firstAgentInvite.set(m.fromUser, m.tsUs);
  }
  const ms: number[] = [];
  let unconnected = 0;
  for (const c of callerInvites(msgs, ports)) {
    const agentAt = firstAgentInvite.get(c.fromUser);
    if (agentAt === undefined || agentAt < c.tsUs) unconnected += 1;
    else ms.push((agentAt - c.tsUs) / 1000);
  }
  return { ms, unconnected };
}

/** ms from each agent's BYE to FreeSWITCH's next INVITE to that agent (BYEs with no next INVITE are left out). */
export function freedTimes(msgs: readonly SipMessage[], ports: WirePorts): number[] {
  const invites = agentInvites(msgs, ports);
  const agentOfLeg = new Map(invites.map((m) => [m.callId, m.uriUser ?? m.toUser]));
  const byAgent = new Map<string, number[]>();
  for (const m of invites) {
    const agent = m.uriUser ?? m.toUser;
    byAgent.set(agent, [...(byAgent.get(agent) ?? []), m.tsUs]);
  }
  const out: number[] = [];
  const seenBye = new Set<string>();
  for (const m of msgs) {
    if (m.method !== 'BYE' || m.dstPort !== ports.agents || seenBye.has(m.callId)) continue;
    const agent = agentOfLeg.get(m.callId);
    if (agent === undefined) continue;
    seenBye.add(m.callId);
    const next = byAgent.get(agent)?.find((t) => t > m.tsUs);
    if (next !== undefined) out.push((next - m.tsUs) / 1000);
  }
  return out;
}

/** Callers (by their number) FreeSWITCH offered to an agent at least once. */
export function connectedCallers(msgs: readonly SipMessage[], ports: WirePorts): Set<string> {
  return new Set(agentInvites(msgs, ports).map((m) => m.fromUser));
}

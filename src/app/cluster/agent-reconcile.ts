/**
 * A dead node leaves no agent stuck on a call. When a router node dies (SIGKILL, power) its
 * bridged calls go on in FreeSWITCH until someone hangs up, but nobody is left to tell the store
 * the conversation ended: the agent would stay on-call. Every live node, periodically, looks at
 * the agents on a call whose owner (the live-call directory) is no longer alive and asks
 * FreeSWITCH whether the agent's channel still exists (`uuid_exists`, ChannelProbe). Only a
 * channel FreeSWITCH says is gone ends the conversation — a channel still up, FreeSWITCH
 * unreachable, a call the directory does not know, or one on another FreeSWITCH (the record
 * names it) leaves the agent on the call — another node connected to that FreeSWITCH decides.
 *
 * The agent goes to wrap-up (at least 1 s) and the reconciling node ends that wrap-up on time
 * (`wrapUpEnds`: the agent is ready and offered the next caller), as the dead node would have; the
 * nodes' safety sweep is only the net behind it. Compare-and-set on the agent's version, so several
 * nodes reconciling at once, or the agent changing meanwhile, change nothing twice.
 *
 * Reserved and ringing agents are not looked at here: their reservation expires by
 * reservedUntil when no live node renews it, and the beat's sweep releases them.
 */
import type { AcdStore } from '../../core/acd/store-port.js';
import type { AgentSnapshot } from '../../core/acd/types.js';
import type { Clock } from '../../core/ports.js';
import type { Logger } from '../../lib/logger.js';
import type { Timers } from '../timers.js';
import type { LiveCallDirectory } from './live-calls.js';

export interface ChannelProbe {
  /** Whether FreeSWITCH has the channel; throws when it cannot tell (not connected, error reply). */
  exists(uuid: string): Promise<boolean>;
  /** The name of the FreeSWITCH this probe asks (its switchname); a channel on another is not its to judge. */
  freeswitch(): Promise<string>;
}

export interface AgentReconcileDeps {
  readonly store: Pick<AcdStore, 'listAgents' | 'applyAgentEvent'>;
  readonly directory: LiveCallDirectory;
  readonly probe: ChannelProbe;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The queue's wrap-up time (s); the agent gets at least 1 s. */
  readonly wrapUpSeconds: (queueId: string) => number;
  /** An agent this node put in wrap-up: end it at `until` (the dead node held that timer). */
  readonly wrapUpEnds?: (agentId: string, until: number) => void;
}

export type ReconcileOutcome = 'ended' | 'owner-alive' | 'unknown-call' | 'other-freeswitch' | 'channel-up' | 'probe-failed' | 'changed';

/** One pass over every agent on a call. Returns what it decided per agent it looked at. */
export async function reconcileAgentCalls(d: AgentReconcileDeps): Promise<Map<string, ReconcileOutcome>> {
  const out = new Map<string, ReconcileOutcome>();
  for (const agent of await d.store.listAgents()) {
    if (agent.state.status !== 'on-call') continue;
    out.set(agent.id, await reconcileOne(d, agent, agent.state.callId, agent.state.queueId));
  }
  return out;
}

async function reconcileOne(d: AgentReconcileDeps, agent: AgentSnapshot, callId: string, queueId: string): Promise<ReconcileOutcome> {
  const call = await d.directory.get(callId);
  if (call === undefined) return 'unknown-call';
  if (call.ownerAlive) return 'owner-alive';
  // The agent's own leg says whether the agent is still talking; the caller's only when that is unknown.
  const uuid = call.agentUuid ?? call.callerUuid;
  let up: boolean;
  try {
    // Several FreeSWITCH nodes: "no such channel" from the wrong one proves nothing.
    if (call.freeswitch !== undefined && call.freeswitch !== await d.probe.freeswitch()) return 'other-freeswitch';
    up = await d.probe.exists(uuid);
  } catch (err) {
    d.logger.warn({ err, agentId: agent.id, callId }, 'agent reconcile: FreeSWITCH cannot tell whether the call is up; agent left on the call');
    return 'probe-failed';
  }
  if (up) return 'channel-up';
  const now = d.clock.now();
  const wrapUpSeconds = Math.max(1, d.wrapUpSeconds(queueId));
  const r = await d.store.applyAgentEvent(agent.id, { type: 'hangup', callId, wrapUpSeconds }, now, agent.version);
  if (!r.ok) return 'changed';
  if (r.agent.state.status === 'wrap-up') d.wrapUpEnds?.(agent.id, r.agent.state.until);
  await d.directory.remove(callId);
  d.logger.warn({ agentId: agent.id, callId, owner: call.node, uuid }, 'agent reconcile: call of a dead node is over in FreeSWITCH; agent to wrap-up');
  return 'ended';
}

/** One pass every `periodMs` (never two at once, a failing pass logged); returns the stop. */
export function reconcileAgentCallsEvery(d: AgentReconcileDeps, timers: Timers, periodMs: number): () => void {
  let stopped = false;
  const run = (): void => {
    void reconcileAgentCalls(d)
      .catch((err: unknown) => { d.logger.warn({ err }, 'agent reconcile: pass failed'); })
      .finally(() => { if (!stopped) handle = timers.at(d.clock.now() + periodMs, run); });
  };
  let handle = timers.at(d.clock.now() + periodMs, run);
  return () => { stopped = true; timers.cancel(handle); };
}

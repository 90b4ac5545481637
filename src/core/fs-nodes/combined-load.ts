/**
 * The router's FreeSWITCH load over several nodes, for its capacity marks: sessions, max-sessions
 * and sessions-per-second caps summed over the nodes read now. A node not read (its link down) is
 * left out, so the share is that of the nodes still carrying calls; none read → unknown. The edge
 * already sends no call to a full node; this mark guards the router's share of them all.
 */
import type { FreeswitchLoad } from '../capacity/index.js';

export function combinedLoad(readings: readonly (FreeswitchLoad | undefined)[]): FreeswitchLoad | undefined {
  const known = readings.filter((r): r is FreeswitchLoad => r !== undefined);
  if (known.length === 0) return undefined;
  if (known.length === 1) return known[0];
  return known.reduce((sum, r) => ({
    sessions: sum.sessions + r.sessions,
    maxSessions: sum.maxSessions + r.maxSessions,
    sessionsPerSecondMax: sum.sessionsPerSecondMax + r.sessionsPerSecondMax,
  }));
}

/**
 * The load a call's admission reads when its node is known: that node's sessions against its own
 * max-sessions (a node near full sheds its calls while the others take theirs), and the summed
 * sessions-per-second cap (the calls-per-second mark counts the router's calls on every node).
 */
export function loadForNode(node: FreeswitchLoad, all: FreeswitchLoad): FreeswitchLoad {
  return node === all ? node : { ...node, sessionsPerSecondMax: all.sessionsPerSecondMax };
}

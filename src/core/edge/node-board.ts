/**
 * The FreeSWITCH nodes behind the edge and which one takes the next call. Pure state: the edge
 * reports what it saw (an OPTIONS answer or its absence, a call placed or ended, an INVITE that
 * timed out or got a 5xx) and asks for the nodes to try, best first.
 *
 * A node is down after `downAfterMisses` keep-alives in a row went unanswered (or answered 5xx
 * other than 503) with no call answered in between, up again at the first answer. A node that
 * answers INVITEs is alive whatever its OPTIONS do: under load its keep-alive answers can come
 * later than the probe's timeout while every call is taken (seen at 80 calls/s on a 2-core node:
 * a healthy node marked down, and 3 s of its calls refused). 503 to OPTIONS means "no new work" (RFC 3261
 * §21.5.4): the node is draining — skipped, its calls untouched. A node that failed an INVITE
 * is tried after the others until its next keep-alive answer. Among the rest, the least loaded
 * (sessions / max sessions) goes first, so the nodes fill evenly.
 */

export type NodeState = 'unknown' | 'up' | 'down';

export interface NodeView {
  readonly name: string;
  readonly state: NodeState;
  readonly draining: boolean;
  /** Calls the edge has in progress on this node. */
  readonly sessions: number;
  readonly maxSessions: number;
  /** An INVITE timed out or got a 5xx since the last keep-alive answer. */
  readonly suspect: boolean;
}

interface NodeRecord {
  state: NodeState;
  draining: boolean;
  sessions: number;
  readonly maxSessions: number;
  misses: number;
  suspect: boolean;
}

export interface NodeBoardOptions {
  readonly downAfterMisses: number;
}

export class NodeBoard {
  private readonly nodes = new Map<string, NodeRecord>();

  constructor(nodes: readonly { readonly name: string; readonly maxSessions: number }[], private readonly options: NodeBoardOptions = { downAfterMisses: 2 }) {
    for (const n of nodes) this.nodes.set(n.name, { state: 'unknown', draining: false, sessions: 0, maxSessions: n.maxSessions, misses: 0, suspect: false });
  }

  /** An OPTIONS keep-alive answer; `undefined` when none came in time. */
  keepAlive(name: string, status: number | undefined): void {
    const n = this.node(name);
    if (status === undefined || (status >= 500 && status !== 503)) {
      n.misses++;
      if (n.misses >= this.options.downAfterMisses) n.state = 'down';
      return;
    }
    alive(n);
    n.draining = status === 503;
  }

  /** The node answered an INVITE (taken, or refused for the call's own sake): a sign of life. */
  inviteAnswered(name: string): void {
    alive(this.node(name));
  }

  /** An operator's drain, on top of what the node says. */
  setDraining(name: string, draining: boolean): void {
    this.node(name).draining = draining;
  }

  callPlaced(name: string): void {
    this.node(name).sessions++;
  }

  callEnded(name: string): void {
    const n = this.node(name);
    n.sessions = Math.max(0, n.sessions - 1);
  }

  /** An INVITE to the node timed out or got a 5xx. */
  inviteFailed(name: string): void {
    this.node(name).suspect = true;
  }

  view(): NodeView[] {
    return [...this.nodes].map(([name, n]) => ({ name, state: n.state, draining: n.draining, sessions: n.sessions, maxSessions: n.maxSessions, suspect: n.suspect }));
  }

  /** The nodes to try for a new call, best first; empty when no node can take one. */
  candidates(): string[] {
    return rankNodes(this.view());
  }

  private node(name: string): NodeRecord {
    const n = this.nodes.get(name);
    if (n === undefined) throw new Error(`unknown FreeSWITCH node "${name}"`);
    return n;
  }
}

function alive(n: NodeRecord): void {
  n.misses = 0;
  n.state = 'up';
  n.suspect = false;
}

const tier = (n: NodeView): number => (n.suspect ? 2 : n.state === 'up' ? 0 : 1);

/** Up before not yet probed before suspect; then the least loaded; then by name, to be deterministic. */
export function rankNodes(nodes: readonly NodeView[]): string[] {
  return nodes
    .filter((n) => n.state !== 'down' && !n.draining && n.sessions < n.maxSessions)
    .sort((a, b) => tier(a) - tier(b) || a.sessions / a.maxSessions - b.sessions / b.maxSessions || a.name.localeCompare(b.name))
    .map((n) => n.name);
}

/** Whether a node's answer to an INVITE sends the call on to the next node: no answer, or 5xx. */
export const failsOver = (status: number | undefined): boolean => status === undefined || (status >= 500 && status <= 599);

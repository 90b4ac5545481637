/**
 * What this node tells the other nodes sharing the store (the outgoing half of the bus; what it
 * hears is ./node-sync.ts). Only the node holding a caller's socket can ring an agent for it, so
 * a reservation made here for another node's caller is sent there.
 */
import type { Clock } from '../../core/ports.js';
import type { ClusterLink, ClusterMessage } from '../cluster/cluster-port.js';
import type { AcdRuntime } from './acd-runtime.js';
import type { Assignment } from './dispatch.js';

/** How soon an assignment a live node did not hear is sent again. */
const RESEND_MS = 100;

export class ClusterPeers {
  readonly nodeId: string;

  constructor(private readonly link: ClusterLink, private readonly clock: Clock, private readonly rt: AcdRuntime) {
    this.nodeId = link.nodeId;
  }

  /** Tell the others (best effort: a lost hint is covered by their own sweeps and resyncs). */
  publish(msg: ClusterMessage): void {
    void this.link.bus.broadcast(msg).catch((err: unknown) => { this.rt.log.warn({ err, type: msg.type }, 'cluster: hint lost'); });
  }

  /**
   * Send an assignment to the node holding its caller; false when that node is gone. A node whose
   * heartbeat is there but that heard nothing is re-subscribing (its bus connection came back
   * after the store restarted, later than its store connection did): it is sent the assignment
   * again until the reservation ends. Past that the reservation expires and the owner puts its
   * caller back, as after any lost message.
   */
  async sendAssignment(owner: string, a: Assignment): Promise<boolean> {
    if (await this.send(owner, a)) return true;
    if (!(await this.link.registry.alive(owner))) return false;
    this.rt.log.warn({ callId: a.entry.callId, owner }, 'cluster: the caller\'s node is alive but did not hear; assignment sent again');
    this.resendLater(owner, a);
    return true;
  }

  private resendLater(owner: string, a: Assignment): void {
    const at = this.clock.now() + RESEND_MS;
    if (at >= a.reservedUntil) return;
    this.rt.arm(at, `assignment resent to ${owner}`, async () => {
      if (!(await this.send(owner, a))) this.resendLater(owner, a);
    });
  }

  private send(owner: string, a: Assignment): Promise<boolean> {
    return this.link.bus.send(owner, { type: 'assignment', from: this.nodeId, agent: a.agent, entry: a.entry, reservedUntil: a.reservedUntil,
      ...(a.reservedAt === undefined ? {} : { reservedAt: a.reservedAt }) });
  }
}

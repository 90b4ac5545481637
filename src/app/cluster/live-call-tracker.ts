/**
 * Keeps the live-call directory (./live-calls.ts) in step with this node's calls: a call is put
 * there when its agent answers (the agent is on-call from then on; its leg and the caller's are
 * known) and removed when the call's record is written. A CallAcd decorator, so the call sessions
 * need not know about it; the directory is best effort — a write that fails is logged, and the
 * call goes on (it only cannot be reached from other nodes, nor reconciled after a crash).
 */
import type { Logger } from '../../lib/logger.js';
import type { CallAcd } from '../acd/call-acd-port.js';
import type { TransferableCall } from '../transfer/ports.js';
import type { LiveCallDirectory } from './live-calls.js';

export interface LiveCallTrackerDeps {
  readonly directory: LiveCallDirectory;
  readonly nodeId: string;
  /** This node's calls (the CallManager), looked up when the agent answers. */
  readonly call: (callSid: string) => TransferableCall | undefined;
  readonly logger: Logger;
}

export class LiveCallTracker {
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly d: LiveCallTrackerDeps) {}

  /** The ACD as the call sessions should see it: the same, with the directory written on answer. */
  wrap(acd: CallAcd): CallAcd {
    return {
      enqueue: (req, listener) => acd.enqueue(req, listener),
      status: (callId) => acd.status(callId),
      agentAnswered: async (callId, agentId) => {
        await acd.agentAnswered(callId, agentId);
        this.answered(callId, agentId);
      },
      agentNoAnswer: (callId, agentId) => acd.agentNoAnswer(callId, agentId),
      conversationEnded: (callId, agentId) => acd.conversationEnded(callId, agentId),
      callerLeft: (callId) => acd.callerLeft(callId),
    };
  }

  /** The call's record is written: it leaves the directory (after its own write, if still under way). */
  forget(callSid: string): void {
    // Most calls never reach an agent: nothing was written for them, nothing to remove.
    const before = this.writes.get(callSid);
    if (before === undefined) return;
    this.writes.delete(callSid);
    void before.then(() => this.d.directory.remove(callSid)).catch((err: unknown) => {
      this.d.logger.warn({ err, callSid }, 'live calls: record not removed (it expires by itself)');
    });
  }

  /** Every directory write started so far has settled (tests). */
  async idle(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  private answered(callSid: string, agentId: string): void {
    const c = this.d.call(callSid);
    if (c === undefined) return;
    const w = this.d.directory.put({ callSid, node: this.d.nodeId, callerUuid: c.callerUuid, agentUuid: c.agentUuid, agentId, freeswitch: c.freeswitch })
      .catch((err: unknown) => { this.d.logger.warn({ err, callSid }, 'live calls: call not recorded in the shared state'); });
    this.writes.set(callSid, w);
  }
}

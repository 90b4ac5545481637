/**
 * Live calls and the transfer history in memory: one router node, so the owner of every call is
 * this node and alive. The history is lost with the process — a restart on one node also ends
 * every call it held (their sockets close), so nothing is left to transfer twice.
 */
import { TRANSFER_HISTORY_TTL_MS, type LiveCall, type LiveCallDirectory, type LiveCallView, type TransferHistory } from '../../../app/cluster/live-calls.js';

export class MemoryLiveCalls implements LiveCallDirectory, TransferHistory {
  private readonly calls = new Map<string, LiveCall>();
  private readonly legs = new Map<string, string>();
  /** In claim order, so the ones past their TTL are at the front. */
  private readonly handedOver = new Map<string, { callSid: string; target: string; at: number }>();

  constructor(private readonly now: () => number = Date.now, private readonly historyTtlMs = TRANSFER_HISTORY_TTL_MS) {}

  put(call: LiveCall): Promise<void> {
    this.calls.set(call.callSid, call);
    this.legs.set(call.callerUuid, call.callSid);
    if (call.agentUuid !== undefined) this.legs.set(call.agentUuid, call.callSid);
    return Promise.resolve();
  }

  get(callSid: string): Promise<LiveCallView | undefined> {
    const c = this.calls.get(callSid);
    return Promise.resolve(c === undefined ? undefined : { ...c, ownerAlive: true });
  }

  byLeg(uuid: string): Promise<string | undefined> {
    return Promise.resolve(this.legs.get(uuid));
  }

  remove(callSid: string): Promise<void> {
    const c = this.calls.get(callSid);
    if (c !== undefined) {
      this.calls.delete(callSid);
      this.legs.delete(c.callerUuid);
      if (c.agentUuid !== undefined) this.legs.delete(c.agentUuid);
    }
    return Promise.resolve();
  }

  handedTo(callerUuid: string): Promise<string | undefined> {
    this.expire();
    return Promise.resolve(this.handedOver.get(callerUuid)?.target);
  }

  claim(callerUuid: string, callSid: string, target: string): Promise<boolean> {
    this.expire();
    const prior = this.handedOver.get(callerUuid);
    if (prior !== undefined) return Promise.resolve(prior.callSid === callSid);
    this.handedOver.set(callerUuid, { callSid, target, at: this.now() });
    return Promise.resolve(true);
  }

  /** Hand-overs older than the TTL go, as Redis expires them: the history stays bounded on a long-running node. */
  private expire(): void {
    const before = this.now() - this.historyTtlMs;
    for (const [uuid, h] of this.handedOver) {
      if (h.at > before) return;
      this.handedOver.delete(uuid);
    }
  }
}

import type {
  CallLegs, DialOutcome, DialRequest, TransferCalls, TransferControl, TransferableCall, WorkOrder, WorkOrderSink,
} from '../../../src/app/transfer/index.js';
import type { SessionNotice } from '../../../src/core/transfer/index.js';

/** Records every control call; dial outcomes are settled by the test. */
export class FakeControl implements TransferControl {
  readonly log: string[] = [];
  readonly dials: { req: DialRequest; uuid: string; settle: (o: DialOutcome) => void }[] = [];
  failEnter: Error | undefined;
  private listeners: ((uuid: string, cause: string) => void)[] = [];

  enterConference(legs: CallLegs): Promise<{ agentUuid: string }> {
    this.log.push(`enter ${legs.conference} ${legs.callerUuid} ${legs.agentUuid ?? '?'}`);
    if (this.failEnter) return Promise.reject(this.failEnter);
    return Promise.resolve({ agentUuid: legs.agentUuid ?? 'agent-uuid' });
  }
  holdCaller(): Promise<void> { this.log.push('hold'); return Promise.resolve(); }
  unholdCaller(): Promise<void> { this.log.push('unhold'); return Promise.resolve(); }
  dialTarget(_legs: CallLegs, req: DialRequest): { uuid: string; outcome: Promise<DialOutcome> } {
    const uuid = `target-${this.dials.length + 1}`;
    this.log.push(`dial ${req.dial} ${req.ringSeconds}s`);
    let settle!: (o: DialOutcome) => void;
    const outcome = new Promise<DialOutcome>((r) => { settle = r; });
    this.dials.push({ req, uuid, settle });
    return { uuid, outcome };
  }
  hangup(uuid: string, cause: string): Promise<void> { this.log.push(`hangup ${uuid} ${cause}`); return Promise.resolve(); }
  releaseCaller(): Promise<void> { this.log.push('release'); return Promise.resolve(); }
  onHangup(listener: (uuid: string, cause: string) => void): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }
  /** FreeSWITCH reports a hang-up. */
  hungUp(uuid: string, cause = 'NORMAL_CLEARING'): void {
    for (const l of this.listeners) l(uuid, cause);
  }
}

export class FakeCalls implements TransferCalls {
  readonly calls = new Map<string, TransferableCall>();
  readonly log: string[] = [];
  add(call: Partial<TransferableCall> & { callSid: string }): void {
    this.calls.set(call.callSid, { callerUuid: `${call.callSid}-caller`, agentUuid: `${call.callSid}-agent`, agentId: 'a1', line: '12345', bridgedToAgent: true, ...call });
  }
  get(callSid: string): TransferableCall | undefined { return this.calls.get(callSid); }
  byAgentLeg(uuid: string): TransferableCall | undefined { return [...this.calls.values()].find((c) => c.agentUuid === uuid); }
  takeOver(callSid: string): void { this.log.push(`takeOver ${callSid}`); }
  notify(callSid: string, notice: SessionNotice): void { this.log.push(`${notice} ${callSid}`); }
}

export class FakeWorkOrders implements WorkOrderSink {
  readonly orders: WorkOrder[] = [];
  submit(order: WorkOrder): void { this.orders.push(order); }
}

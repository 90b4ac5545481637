/**
 * One call's transfer: its machine state, its channels, and the commands that carry a transition
 * out through the ports. The TransferService owns one per call that ever started a transfer and
 * runs everything for a call one step at a time (KeyedSerial), so the machine sees a consistent order.
 */
import type { TransferCommand, TransferEvent, TransferLeg, TransferState, TransferTransition } from '../../core/transfer/index.js';
import { initialTransferState, transferStep } from '../../core/transfer/index.js';
import type { Clock } from '../../core/ports.js';
import type { Logger } from '../../lib/logger.js';
import type { CallLegs, DialOutcome, TransferCalls, TransferControl, TransferLegSink, TransferMetrics, WorkOrderSink } from './ports.js';

export type LegRole = { readonly role: 'caller' | 'agent' } | { readonly role: 'target'; readonly legId: string };

export interface CallTransferDeps {
  readonly control: TransferControl;
  readonly calls: TransferCalls;
  readonly workOrders: WorkOrderSink;
  readonly metrics: TransferMetrics;
  readonly legSink?: TransferLegSink;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Channel uuid → this call (the service routes hang-ups with it). */
  readonly index: (uuid: string, role: LegRole | undefined) => void;
  /** Events that come later (dial outcome) go back through the service's serial queue. */
  readonly later: (event: TransferEvent) => void;
  /** A leg the caller was handed over on (completed), once, when the machine completes it. */
  readonly completed?: (leg: TransferLeg) => void;
}

/** A command that leaves the caller where the transition expected it failed: the step is undone. */
const CRITICAL = new Set<TransferCommand['kind']>(['enter-conference', 'hold-caller']);

export class CallTransfer {
  state: TransferState;
  readonly legs: { -readonly [K in keyof CallLegs]: CallLegs[K] };
  private readonly targets = new Map<string, string>();

  constructor(
    callSid: string,
    callerUuid: string,
    agentUuid: string | undefined,
    readonly line: string | undefined,
    private readonly deps: CallTransferDeps,
  ) {
    this.state = initialTransferState(callSid);
    this.legs = { callSid, conference: `hotline-${callSid}`, callerUuid, agentUuid };
    deps.index(callerUuid, { role: 'caller' });
    if (agentUuid !== undefined) deps.index(agentUuid, { role: 'agent' });
  }

  /** Runs the machine on one event and carries out its commands; returns the transition. */
  async apply(event: TransferEvent): Promise<TransferTransition> {
    const t = transferStep(this.state, event);
    const before = this.state.legs.length;
    this.state = t.state;
    for (const leg of t.state.legs.slice(before)) if (leg.completedAt !== undefined) this.deps.completed?.(leg);
    for (const c of t.commands) {
      try {
        await this.run(c);
      } catch (err) {
        this.deps.logger.error({ err, command: c.kind, callSid: this.legs.callSid }, 'transfer command failed');
        if (!CRITICAL.has(c.kind)) continue;
        // Give the caller back to the agent; the remaining commands (dialling) are not sent.
        await this.apply({ kind: 'cancel', at: event.at });
        throw err;
      }
    }
    if (this.state.phase === 'ended') this.forget();
    return t;
  }

  /** Drops every channel of this call from the service's index (the call is over). */
  forget(): void {
    this.deps.index(this.legs.callerUuid, undefined);
    if (this.legs.agentUuid !== undefined) this.deps.index(this.legs.agentUuid, undefined);
    for (const uuid of this.targets.values()) this.deps.index(uuid, undefined);
  }

  private async run(c: TransferCommand): Promise<void> {
    const { control, calls } = this.deps;
    switch (c.kind) {
      case 'enter-conference': {
        calls.takeOver(this.legs.callSid);
        const { agentUuid } = await control.enterConference(this.legs);
        this.legs.agentUuid = agentUuid;
        this.deps.index(agentUuid, { role: 'agent' });
        return;
      }
      case 'hold-caller': return control.holdCaller(this.legs);
      case 'unhold-caller': return control.unholdCaller(this.legs);
      case 'dial-target': {
        const { uuid, outcome } = control.dialTarget(this.legs, { legId: c.legId, dial: c.dial, ringSeconds: c.ringSeconds, callerIdNumber: this.line });
        this.targets.set(c.legId, uuid);
        this.deps.index(uuid, { role: 'target', legId: c.legId });
        outcome.then((o) => this.deps.later(dialEvent(o, c.legId, this.deps.clock.now())), (err: unknown) => {
          this.deps.later({ kind: 'target-failed', at: this.deps.clock.now(), legId: c.legId, reason: 'unreachable', cause: err instanceof Error ? err.message : String(err) });
        });
        return;
      }
      case 'hangup-target': {
        const uuid = this.targets.get(c.legId);
        if (uuid !== undefined) await control.hangup(uuid, c.cause);
        return;
      }
      case 'hangup-agent':
        if (this.legs.agentUuid !== undefined) await control.hangup(this.legs.agentUuid, 'NORMAL_CLEARING');
        return;
      case 'release-caller': return control.releaseCaller(this.legs);
      case 'notify-session':
        calls.notify(this.legs.callSid, c.notice);
        return;
      case 'work-order':
        this.deps.workOrders.submit({
          type: 'transfer-failed', callSid: this.legs.callSid, line: this.line, target: c.target, targetNumber: c.number,
          targetKind: c.targetKind, reason: c.reason, cause: c.cause, at: new Date(c.at).toISOString(), agentId: c.agentId, legId: c.legId,
        });
        return;
      case 'leg-ended':
        if (c.leg.outcome !== undefined) this.deps.metrics.count(c.leg.target, c.leg.kind, c.leg.outcome);
        this.deps.legSink?.add(this.legs.callSid, c.leg);
        this.deps.logger.info({ callSid: this.legs.callSid, leg: c.leg }, 'transfer leg ended');
        return;
      case 'refused':
        return;
    }
  }
}

function dialEvent(o: DialOutcome, legId: string, at: number): TransferEvent {
  return o.kind === 'answered' ? { kind: 'target-answered', at, legId } : { kind: 'target-failed', at, legId, reason: o.kind, cause: o.cause };
}

/**
 * The transfer use cases (README: Transfers): the agent API and the DTMF feature code start, join,
 * complete and cancel transfers here. Owns every call's transfer state, runs the pure machine
 * one event at a time per call, drives TransferControl, raises work orders and counts outcomes.
 *
 * Inputs besides the API: channel hang-ups (TransferControl.onHangup) and the agent leg's DTMF
 * (`agentDtmf`, fed by the composition root from the inbound ESL's DTMF events).
 */
import type { Clock } from '../../core/ports.js';
import {
  FeatureCodeParser, isEmergency, isRefusal, transferStep, type TargetView, type TransferDirectory, type TransferEvent, type TransferLeg, type TransferPhase,
} from '../../core/transfer/index.js';
import type { Logger } from '../../lib/logger.js';
import { KeyedSerial } from '../acd/serial.js';
import { CallTransfer, type LegRole } from './call-transfer.js';
import { TransferError } from './errors.js';
import type { TransferHistory } from '../cluster/live-calls.js';
import type { TransferCalls, TransferControl, TransferLegSink, TransferMetrics, WorkOrderSink } from './ports.js';

export interface TransferServiceDeps {
  readonly directory: TransferDirectory;
  readonly control: TransferControl;
  readonly calls: TransferCalls;
  readonly workOrders: WorkOrderSink;
  readonly metrics: TransferMetrics;
  readonly legSink?: TransferLegSink;
  /**
   * The callers' hand-overs in the shared state (at most once across nodes and restarts). Without
   * it the limit holds for as long as this service remembers the call.
   */
  readonly history?: TransferHistory;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface TransferView {
  readonly callSid: string;
  readonly phase: TransferPhase;
  readonly current: TransferLeg | undefined;
  readonly legs: readonly TransferLeg[];
}

type Action = 'three-way' | 'complete' | 'cancel';

export class TransferService {
  private readonly calls = new Map<string, CallTransfer>();
  private readonly byUuid = new Map<string, { readonly callSid: string; readonly role: LegRole }>();
  private readonly serial = new KeyedSerial();
  /** Feature-code digits per call (typed before or during a transfer). */
  private readonly parsers = new Map<string, FeatureCodeParser>();
  private readonly log: Logger;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: TransferServiceDeps) {
    this.log = deps.logger.child({ component: 'transfer' });
    this.unsubscribe = deps.control.onHangup((uuid, cause) => this.onHangup(uuid, cause));
  }

  targets(): TargetView[] {
    return this.deps.directory.list(this.deps.clock.now());
  }

  view(callSid: string): TransferView {
    const t = this.calls.get(callSid);
    if (t === undefined) {
      if (this.deps.calls.get(callSid) === undefined) throw new TransferError('HOTLINE_ERR_UNKNOWN_CALL', `no call "${callSid}"`);
      return { callSid, phase: 'idle', current: undefined, legs: [] };
    }
    return { callSid, phase: t.state.phase, current: t.state.current, legs: t.state.legs };
  }

  /** The 12345 agent of a call (an agent token may transfer only its own calls). */
  agentOf(callSid: string): string | undefined {
    return this.deps.calls.get(callSid)?.agentId;
  }

  /** Starts a consult with a target (a transferTargets id or a sub-center line number). */
  async start(callSid: string, spec: string): Promise<TransferView> {
    const call = this.deps.calls.get(callSid);
    if (call === undefined) throw new TransferError('HOTLINE_ERR_UNKNOWN_CALL', `no call "${callSid}"`);
    const target = this.deps.directory.resolve(spec);
    if (isRefusal(target)) throw new TransferError(target.code, target.reason);
    return this.serial.run(callSid, async () => {
      let t = this.calls.get(callSid);
      if (t === undefined || !t.state.inConference) {
        if (!call.bridgedToAgent) throw new TransferError('HOTLINE_ERR_CALL_STATE', `call "${callSid}" is not talking to a 12345 agent`);
      }
      if (!isEmergency(target)) await this.refuseIfHandedOver(call.callerUuid, target);
      t ??= this.create(callSid, call.callerUuid, call.agentUuid, call.line);
      const at = this.deps.clock.now();
      const r = await this.applyOrFail(t, { kind: 'start', at, target, agentId: call.agentId });
      const refused = r.commands.find((c) => c.kind === 'refused');
      if (refused?.kind === 'refused') {
        const { code, reason } = refused.refusal;
        if (code === 'HOTLINE_ERR_TRANSFER_LIMIT') this.deps.metrics.count(target.id, target.kind, 'refused-limit');
        if (code === 'HOTLINE_ERR_TARGET_CLOSED') this.deps.metrics.count(target.id, target.kind, 'refused-closed');
        throw new TransferError(code, reason);
      }
      this.log.info({ callSid, target: target.id, kind: target.kind }, 'transfer consult started');
      return this.view(callSid);
    });
  }

  threeWay(callSid: string): Promise<TransferView> {
    return this.act(callSid, 'three-way');
  }

  complete(callSid: string): Promise<TransferView> {
    return this.act(callSid, 'complete');
  }

  cancel(callSid: string): Promise<TransferView> {
    return this.act(callSid, 'cancel');
  }

  /** The channel is the agent leg of a call this node holds. */
  knowsAgentLeg(uuid: string): boolean {
    return this.byUuid.get(uuid)?.role.role === 'agent' || this.deps.calls.byAgentLeg(uuid) !== undefined;
  }

  /** One DTMF digit from a channel; acts when it completes a feature code on an agent's leg. */
  agentDtmf(uuid: string, digit: string): void {
    const known = this.byUuid.get(uuid);
    const callSid = known?.role.role === 'agent' ? known.callSid : this.deps.calls.byAgentLeg(uuid)?.callSid;
    if (callSid === undefined) return;
    let parser = this.parsers.get(callSid);
    if (parser === undefined) {
      parser = new FeatureCodeParser();
      this.parsers.set(callSid, parser);
    }
    const action = parser.push(digit, this.deps.clock.now());
    if (action === undefined) return;
    const op = action.kind === 'start' ? this.start(callSid, action.target) : this.act(callSid, action.kind);
    op.then(
      (v) => this.log.info({ callSid, action: action.kind, phase: v.phase }, 'transfer feature code'),
      (err: unknown) => this.log.warn({ callSid, action: action.kind, err }, 'transfer feature code refused'),
    );
  }

  /**
   * The call's legs for its record; forgets the call. Call once for every call, when its record
   * is written — the caller is gone then: a transfer still under way ends as the caller leaving
   * (its target and agent are hung up), even if FreeSWITCH's hang-up event has not arrived yet.
   */
  finish(callSid: string): readonly TransferLeg[] {
    this.parsers.delete(callSid);
    const t = this.calls.get(callSid);
    if (t === undefined) return [];
    const gone: TransferEvent = { kind: 'caller-hangup', at: this.deps.clock.now(), cause: 'CALL_ENDED' };
    this.calls.delete(callSid);
    const { legs } = t.state.phase === 'ended' ? t.state : transferStep(t.state, gone).state;
    // After whatever step is running for the call: hang up what is left, drop its channels.
    void this.serial.run(callSid, async () => {
      await t.apply(gone);
    }).catch((err: unknown) => this.log.error({ err, callSid }, 'transfer clean-up failed'))
      .finally(() => t.forget());
    return legs;
  }

  /** Calls with a transfer state (tests, health). */
  get size(): number {
    return this.calls.size;
  }

  close(): void {
    this.unsubscribe();
  }

  private act(callSid: string, kind: Action): Promise<TransferView> {
    return this.serial.run(callSid, async () => {
      const t = this.calls.get(callSid);
      if (t === undefined) {
        if (this.deps.calls.get(callSid) === undefined) throw new TransferError('HOTLINE_ERR_UNKNOWN_CALL', `no call "${callSid}"`);
        throw new TransferError('HOTLINE_ERR_TRANSFER_STATE', 'no transfer is under way');
      }
      const leg = t.state.current;
      // The hand-over is claimed in the shared state before the agent leaves: another node (or
      // this caller's earlier call) that handed the caller over first wins, and this one is refused.
      if (kind === 'complete' && leg?.answeredAt !== undefined && leg.kind !== 'emergency') await this.claimHandOver(t.legs.callerUuid, callSid, leg.target);
      const r = await this.applyOrFail(t, { kind, at: this.deps.clock.now() });
      const refused = r.commands.find((c) => c.kind === 'refused');
      if (refused?.kind === 'refused') throw new TransferError(refused.refusal.code, refused.refusal.reason);
      this.log.info({ callSid, action: kind, phase: t.state.phase }, 'transfer step');
      return this.view(callSid);
    });
  }

  private async refuseIfHandedOver(callerUuid: string, target: { id: string; kind: TargetView['kind'] }): Promise<void> {
    const history = this.deps.history;
    if (history === undefined) return;
    const prior = await this.shared('read the transfer history', () => history.handedTo(callerUuid));
    if (prior === undefined) return;
    this.deps.metrics.count(target.id, target.kind, 'refused-limit');
    throw new TransferError('HOTLINE_ERR_TRANSFER_LIMIT', `call was already transferred to ${prior} (来电最多接转一次); only emergency lines 110/119/120/122 remain`);
  }

  private async claimHandOver(callerUuid: string, callSid: string, target: string): Promise<void> {
    const history = this.deps.history;
    if (history === undefined) return;
    if (await this.shared('record the hand-over', () => history.claim(callerUuid, callSid, target))) return;
    const prior = await this.shared('read the transfer history', () => history.handedTo(callerUuid));
    throw new TransferError('HOTLINE_ERR_TRANSFER_LIMIT', `call was already transferred to ${prior ?? 'another target'} (来电最多接转一次); cancel this consult or add an emergency line`);
  }

  /** A shared-state step; unreachable is a 503, not a 500. */
  private async shared<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      this.log.warn({ err }, `transfer: cannot ${what}`);
      throw new TransferError('HOTLINE_ERR_STORE_UNAVAILABLE', `cannot ${what}: the shared state is unreachable`);
    }
  }

  /** A hand-over the machine made by itself (the agent hung up during the consult): recorded, best effort. */
  private handedOver(callerUuid: string, callSid: string, leg: TransferLeg): void {
    const history = this.deps.history;
    if (history === undefined || leg.kind === 'emergency') return;
    history.claim(callerUuid, callSid, leg.target).then((ok) => {
      if (!ok) this.log.warn({ callSid, target: leg.target }, 'transfer: caller was already handed over elsewhere');
    }, (err: unknown) => { this.log.warn({ err, callSid }, 'transfer: hand-over not recorded in the shared state'); });
  }

  private async applyOrFail(t: CallTransfer, e: TransferEvent): ReturnType<CallTransfer['apply']> {
    try {
      return await t.apply(e);
    } catch (err) {
      throw new TransferError('HOTLINE_ERR_TRANSFER_FAILED', `media server refused the ${e.kind}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private create(callSid: string, callerUuid: string, agentUuid: string | undefined, line: string | undefined): CallTransfer {
    const t = new CallTransfer(callSid, callerUuid, agentUuid, line, this.transferDeps((uuid, role) => {
      if (role === undefined) this.byUuid.delete(uuid);
      else this.byUuid.set(uuid, { callSid, role });
    }, callSid, callerUuid));
    this.calls.set(callSid, t);
    return t;
  }

  private transferDeps(index: (uuid: string, role: LegRole | undefined) => void, callSid: string, callerUuid: string): ConstructorParameters<typeof CallTransfer>[4] {
    return {
      control: this.deps.control, calls: this.deps.calls, workOrders: this.deps.workOrders, metrics: this.deps.metrics,
      ...(this.deps.legSink ? { legSink: this.deps.legSink } : {}), logger: this.log, clock: this.deps.clock, index,
      later: (event) => this.feed(callSid, event),
      completed: (leg) => { this.handedOver(callerUuid, callSid, leg); },
    };
  }

  private feed(callSid: string, event: TransferEvent): void {
    void this.serial.run(callSid, async () => {
      const t = this.calls.get(callSid);
      if (t !== undefined) await t.apply(event);
    }).catch((err: unknown) => this.log.error({ err, callSid, event: event.kind }, 'transfer event failed'));
  }

  private onHangup(uuid: string, cause: string): void {
    const known = this.byUuid.get(uuid);
    if (known === undefined) return;
    const at = this.deps.clock.now();
    const { role } = known;
    const event: TransferEvent = role.role === 'target'
      ? { kind: 'target-hangup', at, legId: role.legId, cause }
      : { kind: role.role === 'caller' ? 'caller-hangup' : 'agent-hangup', at, cause };
    this.feed(known.callSid, event);
  }
}

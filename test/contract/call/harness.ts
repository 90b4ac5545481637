/**
 * A whole call path for contract tests: the real OutboundEslServer, EslMediaControl and
 * CallManager, a scripted CallAcd, and the wire-level FreeSWITCH peer dialing in as the
 * `socket` application. The peer's hold music plays until a `uuid_break` api arrives; its
 * bridge plays the agent answering and hanging up when the test says so.
 */
import { OutboundEslServer } from '../../../src/adapters/esl/index.js';
import { FarLegHangups } from '../../../src/adapters/esl/far-leg-hangups.js';
import { EslMediaControl } from '../../../src/adapters/esl/media-control.js';
import type { CallAcd, EnqueueRequest, Enqueued, QueueNotice, WaitStatus } from '../../../src/app/acd/call-acd-port.js';
import { CallManager, FilePromptCatalog, callPolicy } from '../../../src/app/call/index.js';
import { MemoryCallRecordSink } from '../../../src/app/records/index.js';
import { buildRoutingTable } from '../../../src/core/routing/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { FsOutboundCall, type AppBehaviour } from '../../support/fs-peer/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { cityRegistry, shanghai } from '../../support/registry-builder.js';

export class ScriptedAcd implements CallAcd {
  readonly calls: string[] = [];
  readonly listeners = new Map<string, (n: QueueNotice) => void>();

  enqueue(req: EnqueueRequest, listener: (n: QueueNotice) => void): Promise<Enqueued> {
    this.calls.push(`enqueue ${req.queueId} ${req.line}`);
    this.listeners.set(req.callId, listener);
    return Promise.resolve({ queueId: req.queueId, skipped: [], position: 1 });
  }
  status(): Promise<WaitStatus | null> { return Promise.resolve(null); }
  agentAnswered(_c: string, agentId: string): Promise<void> { this.calls.push(`agentAnswered ${agentId}`); return Promise.resolve(); }
  agentNoAnswer(_c: string, agentId: string): Promise<void> { this.calls.push(`agentNoAnswer ${agentId}`); return Promise.resolve(); }
  conversationEnded(_c: string, agentId: string): Promise<void> { this.calls.push(`conversationEnded ${agentId}`); return Promise.resolve(); }
  callerLeft(): Promise<void> { this.calls.push('callerLeft'); return Promise.resolve(); }

  assign(callId: string, dial = 'user/1001'): void {
    const l = this.listeners.get(callId);
    if (l === undefined) throw new Error(`no listener for ${callId}`);
    l({ kind: 'assigned', queueId: 'general', agent: { id: '1001', name: '张敏', dial }, ringSeconds: 20 });
  }
}

export interface PeerScript {
  /** What the peer's bridge does once started: 'answer' (then waits for agentHangup) or a failure cause such as NO_ANSWER. */
  bridge: string;
  digit?: string;
  /** Channel variables the dialplan set before `socket` (in the connect's channel data). */
  variables?: Record<string, string>;
}

/** `edit`: changes to the test city's registry before the routing table is built. */
export async function startHarness(edit?: (registry: ReturnType<typeof cityRegistry>) => void) {
  const clock = new ManualClock(shanghai('2026-03-03 10:00'));
  const records = new MemoryCallRecordSink(100);
  const acd = new ScriptedAcd();
  let n = 0;
  const registry = cityRegistry();
  edit?.(registry);
  const table = buildRoutingTable(registry);
  const manager = new CallManager({
    table: () => table, policy: callPolicy(registry, 5), ids: { next: (p) => `${p}-${++n}` },
    logger: createLogger({ level: 'silent' }), acd, timers: clock, clock, prompts: new FilePromptCatalog(registry.prompts, '/prompts'), records,
  });
  const done: Promise<void>[] = [];
  // What the router's inbound link would feed: the test plays the agent leg's CHANNEL_HANGUP into it.
  const farLegs = new FarLegHangups();
  const server = new OutboundEslServer({
    handler: (ch) => { done.push(manager.accept({ channelData: ch.channelData, media: new EslMediaControl(ch, { farLegs }) })); },
    linger: 'forever',
  });
  const address = await server.listen();
  return { clock, records, acd, manager, server, address, done, farLegs };
}

/** Dials in as FreeSWITCH; `timeline` gets every execute (`app arg`) and api line in wire order. */
export async function dialPeer(address: { host: string; port: number }, script: PeerScript, destination = '12345') {
  const timeline: string[] = [];
  let breakHold: (() => void) | undefined;
  let agentHangup: (() => void) | undefined;
  const agentHungUp = new Promise<void>((resolve) => { agentHangup = resolve; });
  const call = await FsOutboundCall.dial({
    ...address,
    profile: { destination, callerNumber: '13812345678', ...(script.variables === undefined ? {} : { variables: { ...script.variables } }) },
    api: (command, arg) => {
      timeline.push(`api ${command} ${arg}`);
      if (command === 'uuid_break') { breakHold?.(); return Promise.resolve('+OK\n'); }
      return Promise.resolve(undefined);
    },
  });
  call.lifecycle.on('executed', (app, arg) => timeline.push(`${app} ${arg}`));
  const vars = (call.profile.variables ??= {});
  const playback: AppBehaviour = async (ctx) => {
    if (!ctx.arg.startsWith('local_stream://')) return 'FILE PLAYED';
    await Promise.race([ctx.hungUp, new Promise<void>((resolve) => { breakHold = resolve; })]);
    return 'FILE PLAYED';
  };
  const bridge: AppBehaviour = async (ctx) => {
    if (script.bridge !== 'answer') {
      vars['originate_disposition'] = script.bridge;
      vars['originate_failed_cause'] = script.bridge;
      return undefined;
    }
    ctx.fire('CHANNEL_BRIDGE', [['Bridge-A-Unique-ID', call.uuid], ['Bridge-B-Unique-ID', 'agent-leg'], ['Other-Leg-Unique-ID', 'agent-leg']]);
    await Promise.race([ctx.hungUp, agentHungUp]);
    vars['bridge_hangup_cause'] = 'NORMAL_CLEARING';
    ctx.fire('CHANNEL_UNBRIDGE', [['Bridge-A-Unique-ID', call.uuid], ['Bridge-B-Unique-ID', 'agent-leg']]);
    return undefined;
  };
  const pagd: AppBehaviour = (ctx) => {
    if (script.digit !== undefined) vars['hotline_digit'] = script.digit;
    void ctx;
    return undefined;
  };
  call.app('playback', playback).app('bridge', bridge).app('play_and_get_digits', pagd);
  return { call, timeline, agentHangup: () => agentHangup?.() };
}

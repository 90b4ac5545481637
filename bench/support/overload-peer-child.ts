/**
 * FreeSWITCH for bench/overload.bench.ts, in a process of its own: an inbound ESL (FsPeer) whose
 * `status` counts the sessions held here (a caller's channel, and its agent leg once bridged),
 * and callers offered to the router's outbound socket server at a fixed rate. Each call is
 * classified by what the router does first: a command (accepted), or closing the socket without
 * one (shed: the dialplan's fallback would take it). Exits when the parent goes.
 */
import { FsCore, FsOutboundCall, FsPeer, type AppBehaviour } from '../../test/support/fs-peer/index.js';
import type { FromOverloadPeer, StepResult, ToOverloadPeer } from './overload-protocol.js';

const DECISION_TIMEOUT_MS = 10_000;

function send(msg: FromOverloadPeer): void {
  process.send?.(msg);
}

const core = new FsCore('bench-fs');
const live = new Set<FsOutboundCall>();
let bridged = 0;
let peer: FsPeer | undefined;
let callerNo = 0;

function sessions(): number {
  return live.size + bridged;
}

type Outcome = { kind: 'accepted' | 'shed'; ms: number } | { kind: 'failed' };

async function offer(host: string, port: number, destination: string, holdMeanMs: number): Promise<Outcome> {
  const t0 = performance.now();
  let breakHold: (() => void) | undefined;
  let call: FsOutboundCall;
  try {
    call = await FsOutboundCall.dial({
      host, port, core,
      profile: { destination, callerNumber: `139${String(10_000_000 + (callerNo += 1)).slice(-8)}` },
      api: (command) => {
        if (command !== 'uuid_break') return Promise.resolve(undefined);
        breakHold?.();
        return Promise.resolve('+OK\n');
      },
    });
  } catch {
    return { kind: 'failed' };
  }
  live.add(call);
  call.on('close', () => live.delete(call));
  const playback: AppBehaviour = async (ctx) => {
    if (ctx.arg.startsWith('local_stream://')) await Promise.race([ctx.hungUp, new Promise<void>((resolve) => { breakHold = resolve; })]);
    return 'FILE PLAYED';
  };
  const bridge: AppBehaviour = async (ctx) => {
    bridged += 1;
    ctx.fire('CHANNEL_BRIDGE', [['Bridge-A-Unique-ID', call.uuid], ['Bridge-B-Unique-ID', `agent-${call.uuid}`]]);
    await ctx.hungUp;
    bridged -= 1;
    return undefined;
  };
  call.app('playback', playback).app('bridge', bridge);
  return new Promise<Outcome>((resolve) => {
    const timer = setTimeout(() => { call.drop(); resolve({ kind: 'failed' }); }, DECISION_TIMEOUT_MS);
    const decided = (o: Outcome): void => {
      clearTimeout(timer);
      resolve(o);
    };
    call.lifecycle.once('executed', () => {
      decided({ kind: 'accepted', ms: performance.now() - t0 });
      // The caller gives up (or is done) after a while, at any step of the call.
      const hold = Math.random() * 2 * holdMeanMs;
      setTimeout(() => { void call.hangup('NORMAL_CLEARING'); }, hold).unref();
    });
    call.once('close', () => {
      if (call.received.every((c) => !c.line.startsWith('sendmsg'))) decided({ kind: 'shed', ms: performance.now() - t0 });
      else decided({ kind: 'failed' });
    });
  });
}

async function ramp(msg: Extract<ToOverloadPeer, { type: 'ramp' }>): Promise<StepResult> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let peakSessions = sessions();
  const watch = setInterval(() => { peakSessions = Math.max(peakSessions, sessions()); }, 50);
  const total = Math.round(msg.rate * msg.seconds);
  const outcomes: Promise<Outcome>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    // Open loop on a fixed schedule: a slow router does not slow the offers down.
    const due = start + (i * 1000) / msg.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    outcomes.push(offer(msg.host, msg.port, msg.destination, msg.holdMeanMs));
  }
  const all = await Promise.all(outcomes);
  clearInterval(watch);
  const cpu = process.cpuUsage(cpu0);
  const latenciesMs = all.flatMap((o) => (o.kind === 'failed' ? [] : [o.ms])).sort((a, b) => a - b);
  return {
    offered: total,
    accepted: all.filter((o) => o.kind === 'accepted').length,
    shed: all.filter((o) => o.kind === 'shed').length,
    failed: all.filter((o) => o.kind === 'failed').length,
    latenciesMs, peakSessions,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - wall0)) * 100,
  };
}

async function hangupAll(): Promise<void> {
  await Promise.all([...live].map((c) => new Promise<void>((resolve) => {
    if (c.closed) { resolve(); return; }
    const timer = setTimeout(() => { c.drop(); resolve(); }, 5000);
    c.once('close', () => { clearTimeout(timer); resolve(); });
    void c.hangup();
  })));
}

process.on('message', (raw) => {
  const msg = raw as ToOverloadPeer;
  switch (msg.type) {
    case 'start':
      void FsPeer.start({ core }).then((p) => {
        peer = p;
        p.load.maxSessions = msg.maxSessions;
        p.load.sessionsPerSecond = msg.sessionsPerSecond;
        // `status` reads the live count at the moment it is asked.
        Object.defineProperty(p.load, 'sessions', { get: sessions });
        send({ type: 'ready', id: msg.id, eslPort: p.port });
      });
      return;
    case 'ramp':
      void ramp(msg).then((result) => send({ type: 'step', id: msg.id, result }));
      return;
    case 'hangup-all':
      void hangupAll().then(() => send({ type: 'done', id: msg.id }));
      return;
  }
});
process.on('disconnect', () => { void peer?.close().finally(() => process.exit(0)); });

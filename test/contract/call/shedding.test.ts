/**
 * Over capacity, end to end on the wire: FreeSWITCH's `status` (the peer's inbound socket) says
 * the sessions are near max-sessions; a new call's socket is closed unanswered (the dialplan's
 * fallback takes it) and recorded as released with the reason, while the call already waiting
 * goes on undisturbed. /health's component says degraded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InboundEslClient } from '../../../src/adapters/esl/index.js';
import { FreeswitchLoadPoller } from '../../../src/adapters/esl/freeswitch-load.js';
import { OutboundEslServer } from '../../../src/adapters/esl/index.js';
import { EslMediaControl } from '../../../src/adapters/esl/media-control.js';
import { CallManager, FilePromptCatalog, LoadShedder, callPolicy } from '../../../src/app/call/index.js';
import { MemoryCallRecordSink } from '../../../src/app/records/index.js';
import { buildRoutingTable } from '../../../src/core/routing/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { FsPeer } from '../../support/fs-peer/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { cityRegistry, shanghai } from '../../support/registry-builder.js';
import { ScriptedAcd, dialPeer } from './harness.js';

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('shedding new calls past the FreeSWITCH sessions mark', () => {
  let peer: FsPeer;
  let inbound: InboundEslClient;
  let server: OutboundEslServer;
  beforeEach(async () => {
    peer = await FsPeer.start();
    inbound = new InboundEslClient({ host: peer.host, port: peer.port, password: 'ClueCon' });
    await inbound.connect();
  });
  afterEach(async () => {
    await server.close();
    await inbound.close();
    await peer.close();
  });

  it('a new call goes back to the dialplan unanswered; the waiting caller stays; health degraded, then ok', async () => {
    const clock = new ManualClock(shanghai('2026-03-03 10:00'));
    const records = new MemoryCallRecordSink(10);
    const acd = new ScriptedAcd();
    const registry = cityRegistry();
    const table = buildRoutingTable(registry);
    const load = new FreeswitchLoadPoller(inbound);
    const shedder = new LoadShedder(
      { freeswitchSessionsShare: 0.9, callsPerSecond: 0, eventLoopDelayMs: 0 },
      { freeswitch: () => load.current(), eventLoopDelayMs: () => 0, routerCpuShare: () => 0 }, clock, createLogger({ level: 'silent' }),
    );
    let n = 0;
    const manager = new CallManager({
      table: () => table, policy: callPolicy(registry, 5), ids: { next: (p) => `${p}-${++n}` }, gate: shedder,
      logger: createLogger({ level: 'silent' }), acd, timers: clock, clock, prompts: new FilePromptCatalog(registry.prompts, '/prompts'), records,
    });
    const done: Promise<void>[] = [];
    server = new OutboundEslServer({ handler: (ch) => { const p = manager.accept({ channelData: ch.channelData, media: new EslMediaControl(ch) }); done.push(p); return p; } });
    const address = await server.listen();

    peer.load.sessions = 120;
    await load.refresh();
    const first = await dialPeer(address, { bridge: 'answer' });
    await until(() => first.timeline.includes('playback local_stream://moh'), 'the first caller on hold');
    expect(shedder.health().state).toBe('ok');

    peer.load.sessions = 900;
    await load.refresh();
    expect(shedder.health()).toMatchObject({ state: 'degraded', detail: expect.stringMatching(/^shedding new calls: 900 FreeSWITCH sessions, mark 900 of 1000/) as unknown });
    const second = await dialPeer(address, { bridge: 'answer' });
    await until(() => second.call.closed, 'the shed call socket closed by the router');
    expect(second.timeline).toEqual([]);
    expect(second.call.runner.state.answered).toBe(false);
    expect(second.call.runner.hangupCause).toBeUndefined();
    await done[1];
    expect(records.all()).toMatchObject([{ callSid: 'call-2', outcome: 'released', shed: 'freeswitch-sessions', line: '12345', answeredAt: undefined }]);
    expect(shedder.shed['freeswitch-sessions']).toBe(1);

    // The caller who was already waiting is untouched and can still be served.
    expect(first.call.closed).toBe(false);
    expect(manager.active).toBe(1);
    acd.assign('call-1');
    await until(() => acd.calls.includes('agentAnswered 1001'), 'the first caller reaches an agent');
    first.agentHangup();
    await done[0];
    expect(records.all().map((r) => r.outcome)).toEqual(['released', 'answered']);

    peer.load.sessions = 100;
    await load.refresh();
    await clock.tick(10_000);
    expect(shedder.health().state).toBe('ok');
  });
});

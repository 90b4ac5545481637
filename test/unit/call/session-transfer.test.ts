/** CallManager as the transfer service's TransferCalls: take-over, notices, legs in the record. */
import { describe, expect, it } from 'vitest';
import type { BridgeEnd, BridgeOutcome, MediaControl } from '../../../src/app/call/index.js';
import { CallManager, FilePromptCatalog, callPolicy } from '../../../src/app/call/index.js';
import { MemoryCallRecordSink } from '../../../src/app/records/index.js';
import { buildRoutingTable } from '../../../src/core/routing/index.js';
import type { TransferLeg } from '../../../src/core/transfer/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { cityRegistry, shanghai } from '../../support/registry-builder.js';
import { ScriptedAcd } from '../../contract/call/harness.js';

/** Answers every bridge with the agent leg `agent-leg`; the test ends the bridge. */
class BridgingMedia implements MediaControl {
  readonly uuid = 'caller-leg';
  gone = false;
  readonly log: string[] = [];
  endBridge: (end: BridgeEnd) => void = () => undefined;
  private hangupListener: ((cause: string) => void) | undefined;

  answer(): Promise<void> { this.log.push('answer'); return Promise.resolve(); }
  play(files: readonly string[]): Promise<void> { this.log.push(`play ${files.join(',')}`); return Promise.resolve(); }
  hold(): Promise<void> { this.log.push('hold'); return new Promise(() => undefined); }
  breakMedia(): Promise<void> { this.log.push('break'); return Promise.resolve(); }
  bridge(dial: string): Promise<BridgeOutcome> {
    this.log.push(`bridge ${dial}`);
    const ended = new Promise<BridgeEnd>((resolve) => { this.endBridge = resolve; });
    return Promise.resolve({ kind: 'answered', ended, farUuid: 'agent-leg' });
  }
  collectDigit(): Promise<string | null> { this.log.push('survey'); return Promise.resolve('1'); }
  hangup(cause: string): Promise<void> { this.log.push(`hangup ${cause}`); return Promise.resolve(); }
  release(): Promise<void> { this.log.push('release'); return Promise.resolve(); }
  onHangup(l: (cause: string) => void): void { this.hangupListener = l; }
  onDtmf(): void { /* not used */ }
  callerHangsUp(): void { this.gone = true; this.hangupListener?.('NORMAL_CLEARING'); }
}

const leg: TransferLeg = {
  legId: 'call-1-t1', target: '12366', kind: 'subcenter', number: '12366', agentId: '1001', startedAt: 1, answeredAt: 2,
  threeWayAt: 3, completedAt: 4, endedAt: 5, outcome: 'completed', cause: undefined,
};

async function bridged(legs: readonly TransferLeg[] = [leg]) {
  const clock = new ManualClock(shanghai('2026-03-03 10:00'));
  const registry = cityRegistry();
  const table = buildRoutingTable(registry);
  const records = new MemoryCallRecordSink(10);
  const acd = new ScriptedAcd();
  const asked: string[] = [];
  let n = 0;
  const manager = new CallManager({
    table: () => table, policy: callPolicy(registry), ids: { next: (p) => `${p}-${++n}` }, logger: createLogger({ level: 'silent' }),
    acd, timers: clock, clock, prompts: new FilePromptCatalog(registry.prompts, '/p'), records,
    transferLegs: (callSid) => { asked.push(callSid); return legs; },
  });
  const media = new BridgingMedia();
  const done = manager.accept({ channelData: { 'Unique-ID': 'caller-leg', 'Caller-Destination-Number': '12345' }, media });
  await clock.tick(0);
  acd.assign('call-1');
  await settle();
  return { manager, media, acd, records, done, asked };
}

describe('CallManager as TransferCalls', () => {
  it('describes a bridged call and finds it by its agent leg', async () => {
    const { manager, media } = await bridged();
    expect(manager.get('call-1')).toEqual({
      callSid: 'call-1', callerUuid: 'caller-leg', agentUuid: 'agent-leg', agentId: '1001', line: '12345', bridgedToAgent: true,
    });
    expect(manager.byAgentLeg('agent-leg')?.callSid).toBe('call-1');
    expect(manager.byAgentLeg('caller-leg')).toBeUndefined();
    expect(manager.get('call-9')).toBeUndefined();
    media.callerHangsUp();
  });

  it('take-over → bridge ends unreported → agent-left (wrap-up once) → conversation-over → survey; legs in the record', async () => {
    const { manager, media, acd, records, done, asked } = await bridged();
    manager.takeOver('call-1');
    media.endBridge({ cause: 'NORMAL_CLEARING', callerGone: false }); // the legs moved into the conference
    await settle();
    expect(media.log.at(-1)).toBe('bridge user/1001');
    expect(acd.calls).not.toContain('conversationEnded 1001');

    manager.notify('call-1', 'agent-left');
    await settle();
    expect(acd.calls.filter((c) => c === 'conversationEnded 1001')).toHaveLength(1);
    expect(manager.get('call-1')?.bridgedToAgent).toBe(false);
    expect(manager.byAgentLeg('agent-leg')).toBeUndefined();

    manager.notify('call-1', 'conversation-over');
    await settle();
    expect(media.log.slice(-3)).toEqual(['survey', 'play /p/survey-thanks.wav', 'hangup NORMAL_CLEARING']);
    media.callerHangsUp();
    await done;
    expect(acd.calls.filter((c) => c === 'conversationEnded 1001')).toHaveLength(1);
    expect(asked).toEqual(['call-1']);
    expect(records.all()[0]).toMatchObject({ outcome: 'answered', agentId: '1001', survey: 'satisfied', transfers: [leg] });
  });

  it('a call never transferred: its record has no transfers (and the service is still asked, to forget it)', async () => {
    const { media, records, done, asked } = await bridged([]);
    media.endBridge({ cause: 'NORMAL_CLEARING', callerGone: false });
    await settle();
    media.callerHangsUp();
    await done;
    expect(asked).toEqual(['call-1']);
    expect(records.all()[0]).not.toHaveProperty('transfers');
  });

  it('notices for an unknown call are ignored', () => {
    const manager = new CallManager({
      table: () => buildRoutingTable(cityRegistry()), policy: callPolicy(cityRegistry()), ids: { next: (p) => p },
      logger: createLogger({ level: 'silent' }), acd: new ScriptedAcd(), timers: new ManualClock(0), clock: new ManualClock(0),
      prompts: new FilePromptCatalog({}, '/p'), records: new MemoryCallRecordSink(1),
    });
    expect(() => { manager.takeOver('nope'); manager.notify('nope', 'conversation-over'); }).not.toThrow();
  });
});

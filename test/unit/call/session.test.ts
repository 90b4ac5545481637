/** CallSession / CallManager with a fake media port and a manual clock: timers, ACD calls, drain. */
import { describe, expect, it } from 'vitest';
import type { BridgeOutcome, MediaControl } from '../../../src/app/call/index.js';
import { CallManager, FilePromptCatalog, callPolicy } from '../../../src/app/call/index.js';
import { MemoryCallRecordSink } from '../../../src/app/records/index.js';
import { buildRoutingTable } from '../../../src/core/routing/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { cityRegistry, shanghai } from '../../support/registry-builder.js';
import { ScriptedAcd } from '../../contract/call/harness.js';

class FakeMedia implements MediaControl {
  readonly uuid = 'fs-uuid-1';
  gone = false;
  readonly log: string[] = [];
  private hangupListener: ((cause: string) => void) | undefined;
  private stopHold: (() => void) | undefined;

  answer(): Promise<void> { this.log.push('answer'); return Promise.resolve(); }
  play(files: readonly string[]): Promise<void> { this.log.push(`play ${files.join(',')}`); return Promise.resolve(); }
  hold(source: string): Promise<void> {
    this.log.push(`hold ${source}`);
    return new Promise((resolve) => { this.stopHold = resolve; });
  }
  breakMedia(): Promise<void> { this.log.push('break'); this.stopHold?.(); return Promise.resolve(); }
  bridge(dial: string): Promise<BridgeOutcome> { this.log.push(`bridge ${dial}`); return new Promise(() => undefined); }
  collectDigit(): Promise<string | null> { return Promise.resolve(null); }
  hangup(cause: string): Promise<void> { this.log.push(`hangup ${cause}`); return Promise.resolve(); }
  release(): Promise<void> { this.log.push('release'); this.gone = true; return Promise.resolve(); }
  onHangup(l: (cause: string) => void): void { this.hangupListener = l; }
  onDtmf(): void { /* not used */ }
  callerHangsUp(): void { this.gone = true; this.hangupListener?.('NORMAL_CLEARING'); }
}

function setup(acd = new ScriptedAcd()) {
  const clock = new ManualClock(shanghai('2026-03-03 10:00'));
  const registry = cityRegistry();
  const table = buildRoutingTable(registry);
  const records = new MemoryCallRecordSink(10);
  let n = 0;
  const manager = new CallManager({
    table: () => table, policy: callPolicy(registry), ids: { next: (p) => `${p}-${++n}` }, logger: createLogger({ level: 'silent' }),
    acd, timers: clock, clock, prompts: new FilePromptCatalog(registry.prompts, '/p'), records,
  });
  return { clock, manager, records, acd };
}

describe('CallSession', () => {
  it('announces position and wait every announceEverySeconds, then goes back to music', async () => {
    const acd = new ScriptedAcd();
    acd.status = () => Promise.resolve({ queueId: 'general', position: 4, estimatedWaitMinutes: 2 });
    const { clock, manager } = setup(acd);
    const media = new FakeMedia();
    const done = manager.accept({ channelData: { 'Unique-ID': 'fs-uuid-1', 'Caller-Destination-Number': '12345' }, media });
    await clock.tick(0);
    expect(media.log).toEqual(['answer', 'play /p/welcome.wav', 'hold local_stream://moh']);
    await clock.tick(30_000);
    expect(media.log.slice(3)).toEqual(['break', 'play /p/position-4.wav,/p/wait-2.wav', 'hold local_stream://moh']);
    expect(clock.armed()).toEqual([shanghai('2026-03-03 10:01')]);
    media.callerHangsUp();
    await done;
    expect(clock.armed()).toEqual([]);
  });

  it('drain: waits for calls, at the deadline hands waiting callers back to the dialplan', async () => {
    const { clock, manager, records, acd } = setup();
    const media = new FakeMedia();
    const done = manager.accept({ channelData: { 'Unique-ID': 'fs-uuid-1', 'Caller-Destination-Number': '12345' }, media });
    await clock.tick(0);
    const drained = manager.drain(10_000);
    await clock.tick(10_000);
    expect(await drained).toEqual({ remaining: 0, released: 1 });
    await done;
    expect(media.log.slice(-2)).toEqual(['break', 'release']);
    expect(acd.calls).toEqual(['enqueue general 12345', 'callerLeft']);
    expect(records.all()[0]?.outcome).toBe('released');
    expect(manager.active).toBe(0);
  });

  it('an ACD failure on enqueue releases the call to the dialplan fallback', async () => {
    const acd = new ScriptedAcd();
    acd.enqueue = () => Promise.reject(new Error('store down'));
    const { clock, manager, records } = setup(acd);
    const media = new FakeMedia();
    const done = manager.accept({ channelData: { 'Unique-ID': 'fs-uuid-1', 'Caller-Destination-Number': '12345' }, media });
    await clock.tick(0);
    await settle();
    await done;
    expect(media.log.at(-1)).toBe('release');
    expect(records.all()[0]).toMatchObject({ outcome: 'released', error: 'ACD enqueue: store down' });
  });
});

describe('the caller\'s number', () => {
  class CapturingAcd extends ScriptedAcd {
    callers: (string | undefined)[] = [];
    override enqueue(...args: Parameters<ScriptedAcd['enqueue']>): ReturnType<ScriptedAcd['enqueue']> {
      this.callers.push(args[0].caller);
      return super.enqueue(...args);
    }
  }

  it('goes from the channel to the ACD (waiting list) and into the record, with the number as dialed', async () => {
    const acd = new CapturingAcd();
    const { clock, manager, records } = setup(acd);
    const media = new FakeMedia();
    const done = manager.accept({
      channelData: { 'Unique-ID': 'fs-uuid-1', 'Caller-Destination-Number': '057112345', 'variable_hotline_line': '12345', 'Caller-Caller-ID-Number': '13812345678' },
      media,
    });
    await clock.tick(0);
    expect(acd.callers).toEqual(['13812345678']);
    media.callerHangsUp();
    await done;
    expect(records.all()[0]).toMatchObject({ caller: '13812345678', dialed: '057112345', line: '12345' });
  });

  it('a withheld number stays absent everywhere', async () => {
    const acd = new CapturingAcd();
    const { clock, manager, records } = setup(acd);
    const media = new FakeMedia();
    const done = manager.accept({ channelData: { 'Unique-ID': 'fs-uuid-1', 'Caller-Destination-Number': '12345', 'Caller-Caller-ID-Number': '' }, media });
    await clock.tick(0);
    expect(acd.callers).toEqual([undefined]);
    media.callerHangsUp();
    await done;
    expect(records.all()[0]).not.toHaveProperty('caller');
    expect(records.all()[0]).toMatchObject({ dialed: '12345' });
  });
});

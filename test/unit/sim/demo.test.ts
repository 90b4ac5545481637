/**
 * The demo switch on a manual clock: synthetic calls go through the real CallManager and ACD,
 * agents answer by themselves, and every record says it is a demo call.
 */
import { describe, expect, it } from 'vitest';
import { MemoryAcdStore } from '../../../src/adapters/store/memory/index.js';
import { AcdService } from '../../../src/app/acd/acd-service.js';
import type { AcdEvent } from '../../../src/app/acd/acd-model.js';
import { CallManager, FilePromptCatalog, callPolicy } from '../../../src/app/call/index.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { buildRoutingTable } from '../../../src/core/routing/index.js';
import { quietLogger } from '../../../src/app/sim/quiet-logger.js';
import { demoRecords, startDemo, type DemoSwitch } from '../../../src/compose/demo.js';
import { loadRegistryFile } from '../../../src/config/load.js';
import { ManualClock } from '../../support/manual-clock.js';
import { shanghai } from '../../support/registry-builder.js';

describe('demo switch', () => {
  it('ten simulated minutes: calls answered by the registry\'s agents, every record marked demo', async () => {
    const loaded = await loadRegistryFile('config/hotline.example.yaml');
    if (!loaded.ok) throw new Error('example registry must load');
    const registry = loaded.registry;
    const clock = new ManualClock(shanghai('2026-03-10 10:00'));
    const live: { demo?: DemoSwitch } = {};
    const events: AcdEvent[] = [];
    const acd = new AcdService({
      store: new MemoryAcdStore(), registry, clock, timers: clock,
      observer: { onAcdEvent: (e) => { events.push(e); live.demo?.onAcdEvent(e); } },
    });
    await acd.start();
    const records: CallRecord[] = [];
    let n = 0;
    const table = buildRoutingTable(registry);
    const calls = new CallManager({
      table: () => table, policy: callPolicy(registry), ids: { next: (p) => `${p}-${(n += 1)}` }, logger: quietLogger(),
      acd, timers: clock, clock, prompts: new FilePromptCatalog(registry.prompts, 'prompts'), records: demoRecords({ add: (r) => records.push(r) }),
    });
    const demo = startDemo({ registry, acd, calls, clock, timers: clock, logger: quietLogger(), seed: 9 });
    live.demo = demo;
    for (let s = 0; s < 600; s += 1) await clock.tick(1_000);
    await demo.close();
    expect(events.filter((e) => e.type === 'agent-state' && e.status === 'ready').length).toBeGreaterThanOrEqual(registry.agents.length);
    const answered = records.filter((r) => r.outcome === 'answered');
    // 720 calls an hour: about 120 in ten minutes, most answered by then.
    expect(records.length).toBeGreaterThan(50);
    expect(answered.length).toBeGreaterThan(records.length / 2);
    expect(records.every((r) => r.demo === true)).toBe(true);
    expect(new Set(answered.map((r) => r.agentId)).size).toBeGreaterThan(3);
  }, 120_000);
});

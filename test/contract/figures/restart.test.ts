/**
 * The restart test, as an operator would see it: `hotline serve` (the built binary) on
 * an embedded records file, a scripted day of calls dialled in over the wire by the FreeSWITCH
 * test peer (callers who hang up during the welcome, short-abandoned and abandoned in line — no
 * answered call yet: under `hotline serve` with the peer an agent's bridge never became on-call,
 * not yet understood), SIGKILL
 * mid-day with a caller still in line, a restart on the same file, more calls. The restarted
 * node's /api/stats must equal what the killed node showed, nothing that had ended may be
 * missing, and after the day /api/stats and the daily report (computed from the file by the
 * 00:05 job) must equal the figures of an uninterrupted run: the aggregate of every call's
 * record, computed here with the same pure function.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbedded } from '../../../src/adapters/records/index.js';
import { DatabaseDayRecords, DailyReportJob, MemoryReportStore, dailyReport } from '../../../src/app/reports/index.js';
import { metricsScope } from '../../../src/core/metrics/index.js';
import { zoneOf } from '../../../src/core/schedule/index.js';
import { loadRegistryFile } from '../../../src/config/load.js';
import { createLogger } from '../../../src/lib/logger.js';
import { repoRoot } from '../../support/run-cli.js';
import { dialPeer } from '../call/harness.js';
import { until } from '../cluster/in-process.js';
import { TOKEN, agentsAtDesks, caller, figures, records, running, serve, stored } from './served.js';

const built = existsSync(new URL('../../../dist/cli.js', import.meta.url));

describe.skipIf(!built)('restart on the same embedded records file', () => {
  afterAll(async () => {
    for (const s of [...running]) await s.kill('SIGKILL');
  });

  it('SIGKILL mid-day: after the restart /api/stats and the daily report equal the uninterrupted day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-restart-'));
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify([{ token: TOKEN, role: 'admin', name: 'restart-test' }]), { mode: 0o600 });
    const dialled: string[] = [];

    const first = await serve(dir);
    await agentsAtDesks(first, ['1001', '1002']);
    for (const hold of ['welcome', 200, 6_500, 'welcome', 5_600] as const) dialled.push(await caller(first, hold));
    await stored(first, 5);
    const before = await figures(first);
    expect(before.total).toMatchObject({ counts: { calls: 5, leftBeforeQueue: 2, shortAbandoned: 1, abandoned: 2 } });
    // a caller still on the line when the router dies: never ended here, so never recorded
    const onLine = await dialPeer(first.outbound, { bridge: 'answer' });
    await until('the last caller on hold', () => onLine.timeline.includes('playback local_stream://moh'), 15_000);
    await first.kill('SIGKILL');

    const second = await serve(dir);
    // rebuilt from the file before it served
    expect(await figures(second)).toEqual(before);
    await agentsAtDesks(second, ['1001', '1002']);
    for (const hold of [7_000, 'welcome'] as const) dialled.push(await caller(second, hold));
    await stored(second, 7);

    const all = await records(second);
    // nothing that had ended is missing, nothing is doubled
    expect(all.map((r) => r.fsUuid).sort()).toEqual([...dialled].sort());
    const after = await figures(second);
    const loaded = await loadRegistryFile(join(repoRoot, 'config/hotline.example.yaml'));
    if (!loaded.ok) throw new Error('example registry does not load');
    const scope = metricsScope(loaded.registry);
    const uninterrupted = dailyReport(all, scope, after.date, 0);
    expect(uninterrupted).not.toBeNull();
    expect(after.total).toEqual(uninterrupted?.total);
    expect(after.hourly).toEqual(uninterrupted?.hourly);
    await second.kill('SIGTERM');

    // the 00:05 job over the same file
    const db = await openEmbedded(join(dir, 'records.db'), createLogger({ level: 'silent' }));
    try {
      const store = new MemoryReportStore();
      const job = new DailyReportJob({ scope, clock: { now: () => Date.now() }, records: new DatabaseDayRecords(db, zoneOf(scope.timeZone)), store });
      const report = await job.runFor(after.date);
      expect({ ...report, generatedAt: '' }).toEqual({ ...uninterrupted, generatedAt: '' });
    } finally {
      await db.close();
    }
  }, 180_000);
});

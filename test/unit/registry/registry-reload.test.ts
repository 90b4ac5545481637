/**
 * The reload use case over a real registry file (the loader `hotline check` runs) and recording
 * ports: outcomes, metrics, audit, one reload at a time, failed steps that do not undo the
 * reload, and what a node does when another one announces a version.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CurrentRegistry } from '../../../src/app/registry/current-registry.js';
import { RegistryReload, type ReloadOutcome } from '../../../src/app/registry/registry-reload.js';
import type { AuditInput } from '../../../src/app/records/activity-writers.js';
import { loadRegistryFile } from '../../../src/config/load.js';
import type { Registry } from '../../../src/config/schema.js';

const minimal = readFileSync('test/fixtures/registry/minimal.yaml', 'utf8');
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

describe('RegistryReload', () => {
  let dir: string;
  let file: string;
  let holder: CurrentRegistry<number>;
  let applied: Registry[];
  let audits: AuditInput[];
  let counted: ReloadOutcome[];
  let stepFailures: string[];
  let announced: string[];
  let failStep: boolean;
  let reload: RegistryReload;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reload-unit-'));
    file = join(dir, 'registry.yaml');
    writeFileSync(file, minimal);
    const first = await loadRegistryFile(file);
    if (!first.ok) throw new Error('fixture invalid');
    let derivations = 0;
    holder = new CurrentRegistry({ registry: first.registry, sha256: first.sha256 ?? '', appliedAt: 0 }, () => (derivations += 1));
    applied = []; audits = []; counted = []; stepFailures = []; announced = []; failStep = false;
    reload = new RegistryReload({
      holder, load: () => loadRegistryFile(file),
      appliers: [
        { step: 'acd', apply: (next) => { applied.push(next); return Promise.resolve(undefined); } },
        { step: 'reloadxml', apply: () => (failStep ? Promise.reject(new Error('ESL not connected')) : Promise.resolve('+OK')) },
      ],
      audit: (e) => { audits.push(e); },
      metrics: { counted: (o) => { counted.push(o); }, stepFailed: (s) => { stepFailures.push(s); }, version: () => undefined },
      announce: (s) => { announced.push(s); },
      clock: { now: () => 1_000 },
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('the same file again: unchanged, nothing applied or announced', async () => {
    expect(await reload.reload({ actor: 'ops', role: 'admin' })).toMatchObject({ outcome: 'unchanged', sha256: sha(minimal), previousSha256: sha(minimal) });
    expect(applied).toEqual([]);
    expect(announced).toEqual([]);
    expect(counted).toEqual(['unchanged']);
    expect(audits).toMatchObject([{ actor: 'ops', role: 'admin', action: 'registry reload', result: 'unchanged' }]);
  });

  it('a changed file: swapped, derived again, every step run, announced, audited with the changes', async () => {
    const next = minimal.replace('  - { id: "1001"', '  - { id: "1002", name: 李强, dial: user/1002, skills: {}, queues: [pool] }\n  - { id: "1001"');
    writeFileSync(file, next);
    const r = await reload.reload({ actor: 'SIGHUP', role: 'signal' });
    expect(r).toMatchObject({ outcome: 'applied', sha256: sha(next), steps: [{ step: 'acd', ok: true }, { step: 'reloadxml', ok: true, detail: '+OK' }] });
    expect(r.changes?.agents).toEqual({ added: ['1002'], removed: [], changed: [] });
    expect(holder.current).toMatchObject({ sha256: sha(next), appliedAt: 1_000 });
    expect(holder.derived).toBe(2);
    expect(applied.map((x) => x.agents.length)).toEqual([2]);
    expect(announced).toEqual([sha(next)]);
    expect(audits[0]).toMatchObject({ actor: 'SIGHUP', result: 'applied', detail: { sha256: sha(next), previousSha256: sha(minimal) } });
  });

  it('a broken file: refused with line:col, nothing swapped or applied, counted and audited', async () => {
    const broken = minimal.replace('schedule: always, maxWaitSeconds: 60', 'schedule: sometimes, maxWaitSeconds: 60');
    writeFileSync(file, broken);
    const r = await reload.reload({ actor: 'ops', role: 'admin' });
    const line = broken.split('\n').findIndex((l) => l.includes('sometimes')) + 1;
    expect(r.outcome).toBe('invalid');
    expect(r.problems?.filter((p) => p.severity === 'error')).toMatchObject([{ line, path: 'queues.general.schedule' }]);
    expect(holder.current.sha256).toBe(sha(minimal));
    expect(holder.derived).toBe(1);
    expect(applied).toEqual([]);
    expect(counted).toEqual(['invalid']);
    expect(audits).toMatchObject([{ result: 'HOTLINE_ERR_REGISTRY_INVALID', detail: { sha256: sha(broken), errors: 1 } }]);
  });

  it('a missing file is refused like a broken one', async () => {
    rmSync(file);
    expect(await reload.reload({ actor: 'ops', role: 'admin' })).toMatchObject({ outcome: 'invalid', problems: [{ line: 0, message: 'cannot read the registry: no such file' }] });
    expect(holder.current.sha256).toBe(sha(minimal));
  });

  it('a failed step is reported and counted; the new registry stays', async () => {
    failStep = true;
    writeFileSync(file, `${minimal}# edited\n`);
    const r = await reload.reload({ actor: 'ops', role: 'admin' });
    expect(r).toMatchObject({ outcome: 'applied', steps: [{ step: 'acd', ok: true }, { step: 'reloadxml', ok: false, detail: 'ESL not connected' }] });
    expect(stepFailures).toEqual(['reloadxml']);
    expect(holder.current.sha256).toBe(sha(`${minimal}# edited\n`));
  });

  it('two reloads asked at once run one after the other', async () => {
    writeFileSync(file, `${minimal}# one\n`);
    const [a, b] = await Promise.all([reload.reload({ actor: 'a', role: 'admin' }), reload.reload({ actor: 'b', role: 'admin' })]);
    expect([a.outcome, b.outcome]).toEqual(['applied', 'unchanged']);
    expect(b.previousSha256).toBe(a.sha256);
  });

  it('another node announces a version: this node re-reads its file; still different → out of sync, kept; level again after its file catches up', async () => {
    const theirs = `${minimal}# theirs\n`;
    reload.announced(sha(theirs), 'node-b');
    await reload.reload({ actor: 'probe', role: 'admin' });
    expect(reload.cluster()).toEqual({ inSync: false, announced: { sha256: sha(theirs), from: 'node-b' } });
    expect(audits.map((a) => a.actor)).toEqual(['cluster:node-b', 'probe']);
    expect(announced).toEqual([]);
    writeFileSync(file, theirs);
    reload.announced(sha(theirs), 'node-b');
    await reload.reload({ actor: 'probe', role: 'admin' });
    expect(holder.current.sha256).toBe(sha(theirs));
    expect(reload.cluster()).toEqual({ inSync: true });
    // A node on the announced version already does nothing.
    reload.announced(sha(theirs), 'node-c');
    await reload.reload({ actor: 'probe', role: 'admin' });
    expect(audits.filter((a) => a.actor === 'cluster:node-c')).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';
import { parseDialplan } from './parse-dialplan.js';

const out = mkdtempSync(join(tmpdir(), 'hotline-dialplan-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('hotline dialplan (the real binary)', () => {
  it('writes hotline.xml and says where', () => {
    const r = runCli(['dialplan', 'config/hotline.example.yaml', '--out', out, '--router', '10.1.2.3:8090']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote ${out}/hotline\\.xml \\(\\d+ lines\\)$`, 'm'));
    const plan = parseDialplan(readFileSync(join(out, 'hotline.xml'), 'utf8'));
    expect(plan.extensions[1]?.conditions[0]?.actions).toContainEqual(['socket', '10.1.2.3:8090 async full']);
  });

  it('matches the committed example output (regenerate with `hotline dialplan config/hotline.example.yaml`)', () => {
    const r = runCli(['dialplan', 'config/hotline.example.yaml', '--out', out]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'hotline.xml'), 'utf8')).toBe(readFileSync('dialplans/hotline.xml', 'utf8'));
  });

  it('exits 2 on a bad --router and 1 on an invalid registry', () => {
    const bad = runCli(['dialplan', 'config/hotline.example.yaml', '--out', out, '--router', 'localhost']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--router "localhost" is not HOST:PORT');
    expect(runCli(['dialplan', 'test/fixtures/registry/many-mistakes.yaml', '--out', out]).status).toBe(1);
    expect(runCli(['dialplan', '--help']).stdout).toContain('usage: hotline dialplan FILE');
  });
});

import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';

const example = 'config/hotline.example.yaml';
const broken = 'test/fixtures/registry/many-mistakes.yaml';

describe('hotline (the real binary)', () => {
  it('prints an overview on --help and exits 2 without a command', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const c of ['serve', 'edge', 'check', 'route', 'schema', 'dialplan', 'prompts']) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(runCli([]).status).toBe(2);
  });

  it.each(['serve', 'edge', 'check', 'route', 'schema', 'dialplan', 'prompts'])('%s --help shows its usage', (cmd) => {
    const r = runCli([cmd, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`usage: hotline ${cmd}`);
  });

  it('refuses an unknown command or option with exit 2', () => {
    expect(runCli(['frobnicate']).status).toBe(2);
    const r = runCli(['check', example, '--strict']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--strict'/);
  });

  describe('check', () => {
    it('exits 0 on the example city and summarises it', () => {
      const r = runCli(['check', example]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/ok — hotline 12345 \(杭州市\), \d+ lines, \d+ queues, \d+ agents/);
    });

    it('exits 1 and reports every mistake at file:line:col with its path', () => {
      const r = runCli(['check', broken]);
      expect(r.status).toBe(1);
      const located = r.stderr.split('\n').filter((l) => l.startsWith(`${broken}:`) && /:\d+:\d+ {2}\S+ {2}/.test(l));
      expect(located.length).toBeGreaterThanOrEqual(8);
      expect(r.stderr).toMatch(new RegExp(`${broken}:\\d+:\\d+  queues\\.transport\\.maxWaitSecond  unknown key "maxWaitSecond"\\n    hint: did you mean "maxWaitSeconds"\\?`));
      expect(r.stderr).toMatch(/overflow cycle: general → backup → general/);
      expect(r.stderr).toMatch(new RegExp(`${broken}: \\d+ errors`));
    });

    it('exits 1 with a clear message for a missing file', () => {
      const r = runCli(['check', 'no/such/registry.yaml']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/no\/such\/registry\.yaml .*cannot read the registry: no such file/);
    });
  });

  describe('route', () => {
    it('explains a merged line inside its transition period', () => {
      const r = runCli(['route', example, '--to', '12369', '--at', '2026-03-02T10:00']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/→ queue \S+ +\(line 12369 .*merged/);
      expect(r.stdout).toMatch(/transition period runs until/);
    });

    it('sends a sub-center call to the 7×24 pool on a public holiday, and says why', () => {
      const r = runCli(['route', example, '--to', '12366', '--at', '2026-02-16T10:00']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('→ queue pool-24x7');
      expect(r.stdout).toMatch(/春节/);
    });

    it('rings the sub-center on an adjusted working day (调休)', () => {
      const r = runCli(['route', example, '--to', '12366', '--at', '2026-02-14T09:00', '--json']);
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as { at: string; decision: { kind: string; dial: string } };
      expect(out.at).toBe('2026-02-14T09:00:00+08:00');
      expect(out.decision.kind).toBe('subcenter');
      expect(out.decision.dial).toContain('12366');
    });

    it('rejects emergency and unknown numbers with exit 1', () => {
      const emergency = runCli(['route', example, '--to', '120']);
      expect(emergency.status).toBe(1);
      expect(emergency.stdout).toMatch(/→ reject 403/);
      const unknown = runCli(['route', example, '--to', '99999']);
      expect(unknown.status).toBe(1);
      expect(unknown.stdout).toMatch(/→ reject 404/);
    });

    it('reads --at without an offset in the hotline time zone and refuses impossible dates', () => {
      const r = runCli(['route', example, '--to', '12345', '--at', '2026-02-14T09:00Z', '--json']);
      expect((JSON.parse(r.stdout) as { at: string }).at).toBe('2026-02-14T17:00:00+08:00');
      const bad = runCli(['route', example, '--to', '12345', '--at', '2026-02-30T09:00']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/no such date/);
    });

    it('needs --to', () => {
      const r = runCli(['route', example]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/missing --to/);
    });
  });

  it('schema prints a JSON Schema with the registry sections', () => {
    const r = runCli(['schema']);
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['hotline', 'lines', 'queues', 'agents', 'schedules']));
    expect(schema.required).toContain('hotline');
  });
});

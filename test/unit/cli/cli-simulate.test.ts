import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';

const registry = 'test/fixtures/registry/minimal.yaml';
const profile = 'test/fixtures/sim/small-day.yaml';

interface Est { mean: number; halfWidth: number | null; n: number }
interface SimJson {
  date: string; seed: number; replications: number; calls: number; unfinished: number;
  day: { total: Record<string, Est | null>; queues: Record<string, Record<string, Est | null>>; lines: Record<string, Record<string, Est | null>> };
  hours: { total: Record<string, Est | null> }[];
}

describe('hotline simulate (the real binary)', () => {
  it('is listed and has help', () => {
    expect(runCli(['--help']).stdout).toMatch(/^ {2}simulate /m);
    const r = runCli(['simulate', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: hotline simulate REGISTRY');
  });

  it('prints tables per queue and line, the same for the same seed', () => {
    const a = runCli(['simulate', registry, '--profile', profile]);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/simulated 2026-03-10 \(Asia\/Shanghai\), seed 5, 1 replication: \d+ calls/);
    expect(a.stdout).toMatch(/^general 综合 +\d+/m);
    expect(a.stdout).toMatch(/^12328 交通运输 +\d+/m);
    // No progress bar when stderr is not a terminal.
    expect(a.stderr).toBe('');
    expect(runCli(['simulate', registry, '--profile', profile]).stdout).toBe(a.stdout);
    expect(runCli(['simulate', registry, '--profile', profile, '--seed', '6']).stdout).not.toBe(a.stdout);
  });

  it('--json with replications gives intervals; hourly offered adds up to the day', () => {
    const r = runCli(['simulate', registry, '--profile', profile, '--replications', '3', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const sim = JSON.parse(r.stdout) as SimJson;
    expect(sim.replications).toBe(3);
    expect(sim.unfinished).toBe(0);
    const offered = sim.day.total['offered'];
    expect(offered?.n).toBe(3);
    expect(offered?.halfWidth).toBeGreaterThan(0);
    const byHour = sim.hours.reduce((s, h) => s + (h.total['offered']?.mean ?? 0), 0);
    expect(byHour).toBeCloseTo(offered?.mean ?? -1, 6);
    // 12345 and 12328 both land in general: every call offered to a line is offered to general first.
    expect(sim.day.queues['general']?.['offered']?.mean).toBeCloseTo(offered?.mean ?? -1, 6);
    const sl = sim.day.queues['general']?.['serviceLevel']?.mean ?? -1;
    expect(sl).toBeGreaterThan(0);
    expect(sl).toBeLessThanOrEqual(1);
  });

  it('--rate and --agents need no profile; --svg draws 24 hours', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const svg = join(dir, 'day.svg');
    const r = runCli(['simulate', registry, '--rate', '30', '--agents', '2', '--date', '2026-03-10', '--svg', svg]);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text.match(/class="offered"/g)?.length).toBe(24);
    expect(text).toContain('class="serviceLevel"');
  });

  it('refuses a bad profile or a missing rate with exit 2', () => {
    const none = runCli(['simulate', registry]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('give a --profile FILE or a --rate N');
    const bad = runCli(['simulate', registry, '--profile', 'test/fixtures/registry/minimal.yaml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--profile .*minimal\.yaml: .*arrivals/);
    expect(runCli(['simulate', registry, '--rate', 'lots']).status).toBe(2);
  });
});

describe('hotline staff (the real binary)', () => {
  it('plans every hour of every queue and meets the targets the simulation checks', () => {
    const r = runCli(['staff', registry, '--profile', profile, '--json', '--rounds', '2']);
    expect([0, 1], r.stderr).toContain(r.status);
    const plan = JSON.parse(r.stdout) as {
      allMet: boolean;
      queues: Record<string, { agents: number; erlangAgents: number; offeredPerHour: number; met: boolean; simulated: { answerRate: number | null } | null }[]>;
    };
    expect(r.status).toBe(plan.allMet ? 0 : 1);
    const general = plan.queues['general'];
    expect(general).toHaveLength(24);
    // Calls only in 08–11: agents only where there are calls; the simulation never lowers Erlang's figure.
    general?.forEach((h, hour) => {
      expect(h.agents).toBeGreaterThanOrEqual(h.erlangAgents);
      if (hour < 8 || hour > 10) expect(h.agents).toBe(0);
      else expect(h.agents).toBeGreaterThan(0);
    });
    for (const h of general ?? []) if (h.met && h.simulated !== null) expect(h.simulated.answerRate ?? 1).toBeGreaterThanOrEqual(0.95);
  });

  it('writes a profile that simulate runs with the planned staffing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'staff-'));
    const out = join(dir, 'planned.yaml');
    const r = runCli(['staff', registry, '--profile', profile, '--rounds', '0', '--write-profile', out]);
    expect(r.stdout).toMatch(/^general +( +\d+!?){24}$/m);
    const s = runCli(['simulate', registry, '--profile', out]);
    expect(s.status, s.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/staffing:/);
  });
});

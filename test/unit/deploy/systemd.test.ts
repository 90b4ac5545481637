/** The systemd units: valid for systemd-analyze, hardened, restarted, stopped after the drain. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOYED_ROUTER_SCHED } from '../../../bench/support/fs-bench/router-sched.js';
import { repoRoot } from '../../support/run-cli.js';

const units = ['hotline-router.service', 'hotline-edge.service'].map((u) => join(repoRoot, 'deploy/systemd', u));
const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!analyze) console.log('skipped: systemd-analyze not installed (apt-get install systemd)');

function keys(path: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m?.[1] !== undefined) out.set(m[1], [...(out.get(m[1]) ?? []), m[2] ?? '']);
  }
  return out;
}

describe('deploy/systemd', () => {
  it.each(units)('%s restarts always, stops with SIGTERM after the drain, runs unprivileged', (unit) => {
    const k = keys(unit);
    expect(k.get('Restart')).toEqual(['always']);
    expect(k.get('KillSignal')).toEqual(['SIGTERM']);
    expect(Number(k.get('TimeoutStopSec')?.[0])).toBeGreaterThan(60); // DRAIN_SECONDS' default
    expect(k.get('User')).toEqual(['hotline']);
    expect(k.get('NoNewPrivileges')).toEqual(['true']);
    expect(k.get('CapabilityBoundingSet')).toEqual(['']);
  });

  it('the router runs SCHED_RR above FreeSWITCH, the policy the FreeSWITCH bench gives it', () => {
    const k = keys(units[0] ?? '');
    expect(k.get('CPUSchedulingPolicy')).toEqual(['rr']);
    expect(DEPLOYED_ROUTER_SCHED).toEqual({ policy: 'rr', priority: Number(k.get('CPUSchedulingPriority')?.[0]) });
    expect(k.get('CPUSchedulingResetOnFork')).toEqual(['true']);
  });

  it('the FreeSWITCH drop-in reads the secrets hotline-vars.xml expects from a root-only file', () => {
    const dropIn = readFileSync(join(repoRoot, 'deploy/systemd/freeswitch.service.d/hotline.conf'), 'utf8');
    expect(dropIn).toMatch(/^EnvironmentFile=\/etc\/freeswitch\/hotline\.env$/m);
    const vars = readFileSync(join(repoRoot, 'freeswitch-conf/hotline-vars.xml'), 'utf8');
    for (const v of ['HOTLINE_ESL_PASSWORD', 'HOTLINE_AGENT_PASSWORD']) {
      expect(dropIn).toContain(v);
      expect(vars).toContain(`$${v}`);
    }
  });

  it.skipIf(!analyze)('systemd-analyze verifies both units and rates their exposure OK (≤ 2.0)', () => {
    const v = spawnSync('systemd-analyze', ['verify', '--man=no', ...units], { encoding: 'utf8' });
    expect(v.status, v.stderr).toBe(0);
    expect(v.stderr.trim()).toBe('');
    for (const unit of units) {
      const s = spawnSync('systemd-analyze', ['security', '--offline=yes', unit], { encoding: 'utf8' });
      const level = Number(/Overall exposure level for \S+: ([0-9.]+)/.exec(s.stdout)?.[1]);
      expect(level, s.stdout.slice(-300)).toBeLessThanOrEqual(2.0);
    }
  });
});

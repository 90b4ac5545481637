import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistryFile, parseRegistry } from '../../../src/config/load.js';
import { formatProblem } from '../../../src/config/problem.js';
import { fixtureText } from './registry-fixtures.js';

describe('loadRegistryFile', () => {
  it('loads a file from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-'));
    const file = join(dir, 'hotline.yaml');
    writeFileSync(file, fixtureText('minimal.yaml'));
    const result = await loadRegistryFile(file);
    expect(result.ok && result.registry.hotline.number).toBe('12345');
  });

  it('reports a missing file as a problem instead of throwing', async () => {
    const result = await loadRegistryFile('/nonexistent/hotline.yaml');
    expect(result.ok).toBe(false);
    const [problem] = result.ok ? [] : result.problems;
    expect(problem).toMatchObject({ file: '/nonexistent/hotline.yaml', line: 0, message: 'cannot read the registry: no such file', severity: 'error' });
    expect(problem && formatProblem(problem)).toMatch(/^\/nonexistent\/hotline\.yaml {2}/);
  });

  it('reports a directory as unreadable', async () => {
    const result = await loadRegistryFile(tmpdir());
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual(['cannot read the registry: it is a directory']);
  });
});

describe('the loaded registry', () => {
  const result = parseRegistry(fixtureText('minimal.yaml'), 'minimal.yaml');
  if (!result.ok) throw new Error('minimal fixture does not load');
  const { registry } = result;

  it('has the schema defaults filled in', () => {
    expect(registry.hotline.timeZone).toBe('Asia/Shanghai');
    expect(registry.hotline.shortAbandonSeconds).toBe(5);
    expect(registry.queues['pool']).toMatchObject({ skills: [], serviceLevelSeconds: 15, ringSeconds: 20, selection: 'skill-then-longest-idle' });
  });

  it('fills in empty collections that were left out', () => {
    const text = fixtureText('minimal.yaml').replace(/^calendars:[\s\S]*?(?=^transferTargets:)/m, '').replace('    calendar: cn\n', '');
    const bare = parseRegistry(text, 'bare.yaml');
    expect(bare.ok && bare.registry.calendars).toEqual({});
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(registry)).toBe(true);
    expect(Object.isFrozen(registry.queues['general']?.skills)).toBe(true);
    expect(() => {
      (registry.hotline as { number: string }).number = '12346';
    }).toThrow(TypeError);
    expect(() => registry.lines.push(registry.lines[0]!)).toThrow(TypeError);
  });
});

/**
 * Routing against registries that went through the real loader: the example city shipped in
 * config/, and the test builder's registry (so the builder cannot drift from what validates).
 */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import { buildRoutingTable, route } from '../../../src/core/routing/index.js';
import { cityRegistry, shanghai } from '../../support/registry-builder.js';

describe('routing over loaded registries', () => {
  it('the builder registry is valid for the loader', () => {
    const r = parseRegistry(stringify(cityRegistry()), 'builder.yaml');
    expect(r.ok ? [] : r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('every number of config/hotline.example.yaml routes to a queue or sub-center at any hour of a week', () => {
    const text = readFileSync(new URL('../../../config/hotline.example.yaml', import.meta.url), 'utf8');
    const loaded = parseRegistry(text, 'hotline.example.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2));
    const reg = loaded.registry;
    const table = buildRoutingTable(reg);
    const numbers = [reg.hotline.number, ...reg.lines.map((l) => l.number)];
    for (let hour = 0; hour < 7 * 24; hour += 1) {
      const at = shanghai('2026-02-14 00:00') + hour * 3_600_000;
      for (const to of numbers) {
        const d = route({ to }, table, at);
        expect(d.kind, `${to} at +${hour} h: ${d.explanation.join(' | ')}`).not.toBe('reject');
        if (d.kind === 'queue') expect(Object.keys(reg.queues)).toContain(d.queue);
      }
    }
  });
});

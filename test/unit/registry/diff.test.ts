import { describe, expect, it } from 'vitest';
import { changeCounts, diffRegistries, isUnchanged, sameValue } from '../../../src/core/registry/diff.js';
import { cityRegistry, queue } from '../../support/registry-builder.js';

describe('diffRegistries', () => {
  it('nothing changed: empty lists, isUnchanged', () => {
    const d = diffRegistries(cityRegistry(), cityRegistry());
    expect(isUnchanged(d)).toBe(true);
    expect(changeCounts(d)).toEqual({});
  });

  it('lines by number, queues/schedules by id, agents by id: added, removed, changed', () => {
    const before = cityRegistry();
    const after = cityRegistry();
    after.lines = [...after.lines.filter((l) => l.number !== '96580'), { number: '12999', name: '新', mode: 'dual', priority: 0, queue: 'general' }];
    after.lines = after.lines.map((l) => (l.number === '12328' ? { ...l, priority: 5 } : l));
    after.queues['extra'] = queue('额外', '24x7');
    after.schedules['24x7'] = { alwaysOpen: true, name: 'renamed' };
    const [first, ...rest] = after.agents;
    after.agents = [...rest.slice(1), { ...first!, skills: { ...first!.skills, new: 3 } }];
    const d = diffRegistries(before, after);
    expect(d.lines).toEqual({ added: ['12999'], removed: ['96580'], changed: ['12328'] });
    expect(d.queues).toEqual({ added: ['extra'], removed: [], changed: [] });
    expect(d.schedules.changed).toEqual(['24x7']);
    expect(d.agents).toEqual({ added: [], removed: [before.agents[1]!.id], changed: [first!.id] });
    expect(d.needsRestart).toEqual([]);
    expect(changeCounts(d)).toEqual({ lines: '+1 ~1 -1', queues: '+1 ~0 -0', agents: '+0 ~1 -1', schedules: '+0 ~1 -0' });
  });

  it('sections read only at start are named in needsRestart', () => {
    const after = cityRegistry();
    after.hotline.shortAbandonSeconds = 9;
    after.transferTargets = [...after.transferTargets, { id: 'x', kind: 'region', name: '某地12345', number: '057112345', dial: 'sofia/gateway/carrier/057112345' }];
    const d = diffRegistries(cityRegistry(), after);
    expect(d.needsRestart).toEqual(['hotline', 'transferTargets']);
    expect(isUnchanged(d)).toBe(false);
  });

  it('sameValue: key order does not matter, undefined keys count as absent, arrays are ordered', () => {
    expect(sameValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameValue({ a: 1, c: undefined }, { a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue({ a: [] }, { a: {} })).toBe(false);
  });
});

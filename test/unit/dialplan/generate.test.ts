import { describe, expect, it } from 'vitest';
import { EMERGENCY_NUMBERS, type Registry } from '../../../src/config/schema.js';
import { EDGE_GUARD_EXTENSION } from '../../../src/dialplan/edge-guard.js';
import { FALLBACK_EXTENSION, generateDialplan } from '../../../src/dialplan/index.js';
import { exampleRegistry, parseDialplan, settingsOf, type ParsedExtension } from './parse-dialplan.js';

const registry = await exampleRegistry();

function onlyFile(r: Registry, options = {}): string {
  const { files } = generateDialplan(r, options);
  expect(files.map((f) => f.name)).toEqual(['hotline.xml']);
  return files[0]?.xml ?? '';
}

function byName(extensions: ParsedExtension[], name: string): ParsedExtension {
  const ext = extensions.find((e) => e.name === name);
  if (!ext) throw new Error(`no extension ${name}`);
  return ext;
}

describe('generateDialplan on the example city', () => {
  const plan = parseDialplan(onlyFile(registry));

  it('is well-formed XML with the edge-header guard, one extension per number, in registry order, then the fallback', () => {
    expect(plan.context).toBe('hotline');
    expect(plan.extensions.map((e) => e.name)).toEqual([
      EDGE_GUARD_EXTENSION, 'hotline-12345', ...registry.lines.map((l) => `hotline-${l.number}`), FALLBACK_EXTENSION,
    ]);
  });

  it.each([
    { number: '12345', mode: 'hotline', name: '杭州市12345', department: undefined },
    { number: '12328', mode: 'dual', name: '交通运输服务监督热线', department: 'transport' },
    { number: '12369', mode: 'merged', name: '生态环境举报热线', department: 'ecology-environment' },
    { number: '12366', mode: 'subcenter', name: '纳税缴费服务热线', department: 'taxation' },
  ])('$number matches exactly (with or without +86) and runs the actions in order', ({ number, mode, name, department }) => {
    const ext = byName(plan.extensions, `hotline-${number}`);
    expect(ext.conditions).toHaveLength(1);
    const [condition] = ext.conditions;
    expect(condition?.field).toBe('destination_number');
    expect(condition?.expression).toBe(`^(?:\\+86)?${number}$`);
    const re = new RegExp(condition?.expression ?? '');
    expect(['12345', '+8612345', '112345', '123456', '008612345'].filter((n) => re.test(n)))
      .toEqual(number === '12345' ? ['12345', '+8612345'] : []);
    expect(re.test(number) && re.test(`+86${number}`)).toBe(true);
    const actions = condition?.actions ?? [];
    // One application for every setting: each costs FreeSWITCH two events with every variable.
    expect(actions.map(([app]) => app)).toEqual(['multiset', 'socket', 'execute_extension']);
    expect(settingsOf(actions)).toEqual([
      ['hotline_line', number],
      ['hotline_mode', mode],
      ['hotline_line_name', name],
      ['hotline_region', '杭州市'],
      ['hotline_region_code', '330100'],
      ...(department ? [['hotline_department', department]] : []),
      // The caller leg as the router needs it (src/dialplan/caller-leg.ts), so it sends none of its own.
      ['hangup_after_bridge', 'false'],
      ['park_after_bridge', 'false'],
      ['continue_on_fail', 'true'],
      ['playback_terminators', 'none'],
      ['transfer_ringback', 'local_stream://moh'],
    ]);
    expect(actions.slice(1)).toEqual([
      ['socket', '127.0.0.1:8084 async full'],
      ['execute_extension', `${FALLBACK_EXTENSION} XML hotline`],
    ]);
  });

  it('falls back to the 7x24 pool agents together, then everyone else, then says goodbye', () => {
    const ext = byName(plan.extensions, FALLBACK_EXTENSION);
    expect(ext.conditions.map((c) => [c.field, c.expression])).toEqual([
      ['destination_number', `^${FALLBACK_EXTENSION}$`],
      ['${last_bridge_to}', '^$'],
      ['${hotline_line}', '^[0-9]+$'],
    ]);
    // Router gone after the caller talked to an agent (FreeSWITCH set last_bridge_to): hang up,
    // never ring the pool for a served caller, never park with nobody in control.
    expect(ext.conditions[1]?.actions).toEqual([]);
    expect(ext.conditions[1]?.antiActions.at(-1)).toEqual(['hangup', 'NORMAL_CLEARING']);
    const actions = ext.conditions[2]?.actions ?? [];
    const pool = registry.agents.filter((a) => a.queues.includes('pool-24x7')).map((a) => a.dial);
    const others = registry.agents.filter((a) => !a.queues.includes('pool-24x7')).map((a) => a.dial);
    expect(pool).toHaveLength(16);
    const bridges = actions.filter(([app]) => app === 'bridge').map(([, data]) => data);
    expect(bridges).toEqual([`{ignore_early_media=true}${pool.join(',')}`, `{ignore_early_media=true}${others.join(',')}`]);
    const apps = actions.map(([app, data]) => (app === 'set' ? `set ${data?.split('=')[0] ?? ''}` : app));
    // The caller is answered and hears hold music before anyone rings; the survey needs the
    // router, so here the call ends when the agent hangs up.
    expect(apps.indexOf('answer')).toBeLessThan(apps.indexOf('bridge'));
    for (const v of ['park_after_bridge', 'hangup_after_bridge', 'continue_on_fail', 'transfer_ringback', 'call_timeout']) {
      expect(apps.indexOf(`set ${v}`)).toBeLessThan(apps.indexOf('bridge'));
    }
    expect(actions).toContainEqual(['set', 'park_after_bridge=false']);
    expect(actions).toContainEqual(['set', 'hangup_after_bridge=true']);
    expect(actions).toContainEqual(['set', 'call_timeout=30']);
    expect(actions).toContainEqual(['set', 'transfer_ringback=local_stream://moh']);
    expect(actions.slice(-2)).toEqual([['playback', '$${sounds_dir}/hotline/goodbye.wav'], ['hangup', 'NORMAL_CLEARING']]);
  });

  it('rings a large pool in groups of at most 32, tried in turn: one originate takes at most 128 dial strings', () => {
    const big = structuredClone<Registry>(registry);
    const template = big.agents.find((a) => a.queues.includes('pool-24x7'));
    if (template === undefined) throw new Error('no pool agent in the example');
    for (let i = 0; i < 150; i++) big.agents.push({ ...template, id: `9${String(i).padStart(3, '0')}`, dial: `user/9${String(i).padStart(3, '0')}` });
    const fallback = byName(parseDialplan(onlyFile(big)).extensions, FALLBACK_EXTENSION);
    const poolBridge = (fallback.conditions[2]?.actions ?? []).find(([app]) => app === 'bridge')?.[1] ?? '';
    const pool = big.agents.filter((a) => a.queues.includes('pool-24x7')).map((a) => a.dial);
    expect(pool).toHaveLength(166);
    expect(poolBridge.startsWith('{ignore_early_media=true}')).toBe(true);
    const groups = poolBridge.slice('{ignore_early_media=true}'.length).split('|').map((g) => g.split(','));
    expect(groups.map((g) => g.length)).toEqual([32, 32, 32, 32, 32, 6]);
    expect(groups.flat()).toEqual(pool);
  });

  it('gives emergency numbers no extension at all', () => {
    const xml = onlyFile(registry);
    for (const n of EMERGENCY_NUMBERS) expect(xml).not.toMatch(new RegExp(`\\?${n}\\$`));
    const withEmergencyLine = structuredClone<Registry>(registry);
    withEmergencyLine.lines.push({ number: '110', name: '报警', mode: 'dual', queue: 'general', priority: 0 });
    const names = parseDialplan(onlyFile(withEmergencyLine)).extensions.map((e) => e.name);
    expect(names).not.toContain('hotline-110');
  });

  it('honours the router address, context, prompts dir and ring time options', () => {
    const other = parseDialplan(onlyFile(registry, { routerHost: '10.0.0.7', routerPort: 9090, promptsDir: '/srv/prompts', fallbackRingSeconds: 45 }));
    const actions = byName(other.extensions, 'hotline-12345').conditions[0]?.actions ?? [];
    expect(actions).toContainEqual(['socket', '10.0.0.7:9090 async full']);
    const fallback = byName(other.extensions, FALLBACK_EXTENSION).conditions[2]?.actions ?? [];
    expect(fallback).toContainEqual(['playback', '/srv/prompts/goodbye.wav']);
    expect(fallback).toContainEqual(['set', 'call_timeout=45']);
    const ctx = generateDialplan(registry, { context: 'city' }).files[0];
    expect(ctx?.name).toBe('city.xml');
    expect(parseDialplan(ctx?.xml ?? '').context).toBe('city');
  });

  it('skips an empty ring stage instead of bridging to nobody', () => {
    const noPool = structuredClone<Registry>(registry);
    noPool.agents = noPool.agents.filter((a) => !a.queues.includes('pool-24x7'));
    const actions = byName(parseDialplan(onlyFile(noPool)).extensions, FALLBACK_EXTENSION).conditions[2]?.actions ?? [];
    expect(actions.filter(([app]) => app === 'bridge')).toHaveLength(1);
  });
});

describe('the edge-header guard', () => {
  const guard = byName(parseDialplan(onlyFile(registry)).extensions, EDGE_GUARD_EXTENSION);
  const [condition] = guard.conditions;
  /** What FreeSWITCH does with the field: ${acl(…)} answers true/false, an absent sip_h_ variable is empty. */
  const matches = (fromEdge: boolean, headers: Record<string, string>): boolean => {
    const field = (condition?.field ?? '')
      .replace(/\$\{acl\(\$\{network_addr\} hotline-edge\)\}/, String(fromEdge))
      .replace(/\$\{sip_h_([A-Za-z-]+)\}/g, (_m, name: string) => headers[name] ?? '');
    return new RegExp(condition?.expression ?? '$^').test(field);
  };

  it('unsets the edge\'s headers on a call that carries one but does not come from the hotline-edge ACL list', () => {
    expect(condition?.actions).toEqual([
      ['unset', 'sip_h_X-Hotline-Line'], ['unset', 'sip_h_X-Hotline-Dialed'], ['unset', 'sip_h_X-Hotline-Trunk'],
    ]);
    expect(matches(false, { 'X-Hotline-Line': '12328' })).toBe(true);
    expect(matches(false, { 'X-Hotline-Trunk': 'x' })).toBe(true);
  });

  it('leaves the edge\'s own calls and calls without the headers alone (no match: the hunt is as before)', () => {
    expect(matches(true, { 'X-Hotline-Line': '12328', 'X-Hotline-Dialed': '057112328' })).toBe(false);
    expect(matches(false, {})).toBe(false);
    expect(matches(true, {})).toBe(false);
  });

  it('comes first and lets the hunt continue to the number\'s own extension', () => {
    const xml = onlyFile(registry);
    expect(xml).toMatch(/<extension name="hotline-edge-headers" continue="true">/);
    expect(xml.indexOf('hotline-edge-headers')).toBeLessThan(xml.indexOf('name="hotline-12345"'));
  });
});

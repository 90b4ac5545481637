import { describe, expect, it } from 'vitest';
import type { Registry } from '../../../src/config/schema.js';
import { escapeXml, generateDialplan, sanitizeComment } from '../../../src/dialplan/index.js';
import { exampleRegistry, parseDialplan, settingsOf } from './parse-dialplan.js';

const registry = await exampleRegistry();
const nasty = `交通 & "路政" <专席> 'x' --> <!-- a--b-`;

describe('XML escaping (one place: src/dialplan/xml.ts)', () => {
  it('escapes the five special characters and line breaks', () => {
    expect(escapeXml(`a&b<c>d"e'f\ng`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f&#10;g');
  });

  it('keeps comments closed whatever the text', () => {
    const safe = sanitizeComment('x -- y --> z-');
    expect(safe).not.toMatch(/--/);
    expect(safe.endsWith('-')).toBe(false);
  });

  it('round-trips names with &, <, quotes and comment markers through a real parser', () => {
    const r = structuredClone<Registry>(registry);
    r.hotline.region = nasty;
    const line = r.lines[0];
    if (!line) throw new Error('example has lines');
    line.name = nasty;
    const xml = generateDialplan(r).files[0]?.xml ?? '';
    const plan = parseDialplan(xml);
    const actions = plan.extensions.find((e) => e.name === `hotline-${line.number}`)?.conditions[0]?.actions ?? [];
    expect(settingsOf(actions)).toContainEqual(['hotline_line_name', nasty]);
    expect(settingsOf(actions)).toContainEqual(['hotline_region', nasty]);
    // Every extension survived: nothing was swallowed by a comment the name closed early.
    expect(plan.extensions).toHaveLength(r.lines.length + 3);
  });

  it('escapes agent dial strings in the fallback', () => {
    const r = structuredClone<Registry>(registry);
    const agent = r.agents[0];
    if (!agent) throw new Error('example has agents');
    agent.dial = '{origination_caller_id_name=\'A&B\'}sofia/gateway/x/1"<2>';
    const plan = parseDialplan(generateDialplan(r).files[0]?.xml ?? '');
    const bridge = plan.extensions.at(-1)?.conditions[2]?.actions.find(([app]) => app === 'bridge');
    expect(bridge?.[1]).toContain(agent.dial);
  });
});

describe('FreeSWITCH preprocessor hazards', () => {
  it('writes `<` in comments as &lt; so no line reads as <include> or <?', () => {
    const r = structuredClone<Registry>(registry);
    const line = r.lines[0];
    if (!line) throw new Error('example has lines');
    line.name = '<include><?x';
    const xml = generateDialplan(r).files[0]?.xml ?? '';
    const lines = xml.split('\n');
    expect(lines.filter((l) => /<include>|<\/include>|<\?/.test(l))).toEqual(['<include>', '</include>']);
    expect(parseDialplan(xml).extensions).toHaveLength(r.lines.length + 3);
  });

  it('refuses text the preprocessor would silently drop', () => {
    const r = structuredClone<Registry>(registry);
    r.hotline.region = 'x-pre-process';
    expect(() => generateDialplan(r)).toThrow(/X-PRE-PROCESS/);
  });
});

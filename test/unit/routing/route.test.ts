import { describe, expect, it } from 'vitest';
import type { Registry } from '../../../src/config/schema.js';
import { buildRoutingTable, route, type RouteDecision } from '../../../src/core/routing/index.js';
import { cityRegistry, liveView, queue, shanghai } from '../../support/registry-builder.js';

const table = buildRoutingTable(cityRegistry());
const TUE_10 = shanghai('2026-03-03 10:00');
const SPRING_FESTIVAL = shanghai('2026-02-16 10:00');

function summary(d: RouteDecision): Record<string, unknown> {
  switch (d.kind) {
    case 'queue': return { kind: d.kind, line: d.line.number, mode: d.line.mode, queue: d.queue, prompts: d.prompts, overflowedFrom: d.overflowedFrom, priority: d.priority };
    case 'subcenter': return { kind: d.kind, line: d.line.number, dial: d.dial, fallbackQueue: d.fallbackQueue, noAnswerSeconds: d.noAnswerSeconds, prompts: d.prompts };
    case 'reject': return { kind: d.kind, sipStatus: d.sipStatus };
  }
}

describe('route: each line mode', () => {
  it.each([
    ['12345 in office hours → its own queue with the welcome', '12345', TUE_10,
      { kind: 'queue', line: '12345', mode: 'hotline', queue: 'general', prompts: ['welcome'], overflowedFrom: undefined, priority: 0 }],
    ['12345 during 春节 → the 7×24 pool', '12345', SPRING_FESTIVAL,
      { kind: 'queue', line: '12345', mode: 'hotline', queue: 'pool-24x7', prompts: ['welcome'], overflowedFrom: [{ queue: 'general', reason: 'closed' }], priority: 0 }],
    ['12345 in the lunch break → pool', '12345', shanghai('2026-03-03 12:00'),
      { queue: 'pool-24x7', overflowedFrom: [{ queue: 'general', reason: 'closed' }] }],
    ['12345 on the adjusted working Saturday 02-14 → general', '12345', shanghai('2026-02-14 09:00'),
      { queue: 'general', overflowedFrom: undefined }],
    ['merged 12319 on the last transition day → transition prompt, no welcome', '12319', shanghai('2026-12-31 23:59'),
      { kind: 'queue', line: '12319', mode: 'merged', queue: 'pool-24x7', prompts: ['merged-12319'] }],
    ['merged 12319 the day after the transition → welcome only, same routing', '12319', shanghai('2027-01-01 00:00'),
      { kind: 'queue', line: '12319', mode: 'merged', queue: 'pool-24x7', prompts: ['welcome'] }],
    ['merged 12319 in office hours → the 12345 queue, tagged with its line', '12319', TUE_10,
      { line: '12319', queue: 'general', prompts: ['merged-12319'], overflowedFrom: undefined }],
    ['dual 12328 in its hours → its own queue with its priority', '12328', shanghai('2026-03-07 19:59'),
      { kind: 'queue', line: '12328', mode: 'dual', queue: 'traffic', prompts: ['welcome'], overflowedFrom: undefined, priority: 1 }],
    ['dual 12328 whose queue has closed → pool', '12328', shanghai('2026-03-07 20:00'),
      { queue: 'pool-24x7', overflowedFrom: [{ queue: 'traffic', reason: 'closed' }], priority: 1 }],
    ['subcenter 12366 open → dial its seats, no 12345 prompt', '12366', TUE_10,
      { kind: 'subcenter', line: '12366', dial: 'sofia/gateway/tax/12366', fallbackQueue: 'pool-24x7', noAnswerSeconds: 30, prompts: [] }],
    ['subcenter 12366 after hours → pool with the welcome', '12366', shanghai('2026-03-03 17:00'),
      { kind: 'queue', line: '12366', mode: 'subcenter', queue: 'pool-24x7', prompts: ['welcome'], overflowedFrom: [{ subcenter: '12366', reason: 'subcenter-closed' }], priority: 2 }],
    ['subcenter 12366 on one of its closedDates → pool', '12366', shanghai('2026-03-02 10:00'),
      { queue: 'pool-24x7', overflowedFrom: [{ subcenter: '12366', reason: 'subcenter-closed' }] }],
    ['subcenter 12366 on a holiday → pool', '12366', SPRING_FESTIVAL,
      { kind: 'queue', queue: 'pool-24x7' }],
    ['Berlin-scheduled dual line at 09:00 CEST → its queue', '96580', Date.parse('2026-03-30T07:00:00Z'),
      { queue: 'overseas', overflowedFrom: undefined }],
    ['Berlin-scheduled dual line at 08:59 CEST → pool', '96580', Date.parse('2026-03-30T06:59:00Z'),
      { queue: 'pool-24x7', overflowedFrom: [{ queue: 'overseas', reason: 'closed' }] }],
  ])('%s', (_title, to, at, want) => {
    expect(summary(route({ to }, table, at))).toMatchObject(want);
  });

  it('the transition end is a local date in hotline.timeZone, not a UTC date', () => {
    // 2026-12-31T16:00Z is already 2027-01-01 in Shanghai, while still 12-31 in UTC.
    expect(route({ to: '12319' }, table, Date.parse('2026-12-31T15:59:00Z'))).toMatchObject({ prompts: ['merged-12319'] });
    expect(route({ to: '12319' }, table, Date.parse('2026-12-31T16:00:00Z'))).toMatchObject({ prompts: ['welcome'] });
  });

  it('without a welcomePrompt, lines other than merged-in-transition play nothing', () => {
    const r = cityRegistry();
    delete r.hotline.welcomePrompt;
    const t = buildRoutingTable(r);
    expect(route({ to: '12345' }, t, TUE_10)).toMatchObject({ prompts: [] });
    expect(route({ to: '12319' }, t, shanghai('2027-03-03 10:00'))).toMatchObject({ prompts: [] });
    expect(route({ to: '12319' }, t, TUE_10)).toMatchObject({ prompts: ['merged-12319'] });
  });
});

describe('route: explanations', () => {
  it('merged line during 春节 explains every step', () => {
    expect(route({ to: '12319' }, table, SPRING_FESTIVAL).explanation).toEqual([
      'dialed 12319 → line 12319 城建服务热线 (merged)',
      'transition period runs until 2026-12-31 (inclusive), today 2026-02-16 → play prompt merged-12319',
      'queue general: schedule office-hours closed (春节 holiday; opens 2026-02-24 08:30) → overflow to pool-24x7',
      'queue pool-24x7: open (always open)',
    ]);
  });

  it('a normalised number shows what was dialed and what it meant', () => {
    expect(route({ to: '+8612345' }, table, TUE_10).explanation[0]).toBe('dialed +8612345 (= 12345) → line 12345 杭州市政务服务便民热线 (hotline)');
  });

  it('live state is part of the trail', () => {
    const d = route({ to: '12345', live: liveView({ general: { agents: 0 } }) }, table, TUE_10);
    expect(d.explanation).toContain('queue general: open (tue 08:30–12:00, 13:30–17:30) but no agent logged in → overflow to pool-24x7');
  });

  it('is deterministic: the same inputs give the same decision', () => {
    expect(route({ to: '12366' }, table, SPRING_FESTIVAL)).toEqual(route({ to: '12366' }, table, SPRING_FESTIVAL));
  });
});

describe('route: with the live ACD view', () => {
  it.each([
    ['no agent in general → pool', '12345', { general: { agents: 0 } }, 'pool-24x7', [{ queue: 'general', reason: 'no-agents' }]],
    ['general at maxLength (50) → pool', '12345', { general: { length: 50 } }, 'pool-24x7', [{ queue: 'general', reason: 'full' }]],
    ['general one below maxLength → stays', '12345', { general: { length: 49 } }, 'general', undefined],
    ['dual queue without agents → pool', '12328', { traffic: { agents: 0 } }, 'pool-24x7', [{ queue: 'traffic', reason: 'no-agents' }]],
    ['the pool itself empty of agents: still the pool, never dropped', '12345', { 'general': { agents: 0 }, 'pool-24x7': { agents: 0 } }, 'pool-24x7', [{ queue: 'general', reason: 'no-agents' }]],
  ])('%s', (_t, to, live, queueId, hops) => {
    const d = route({ to, live: liveView(live) }, table, TUE_10);
    expect(d).toMatchObject({ kind: 'queue', queue: queueId });
    expect(d.kind === 'queue' ? d.overflowedFrom : 'not a queue').toEqual(hops);
  });

  it('an open sub-center is dialed whatever the 12345 queues look like', () => {
    expect(route({ to: '12366', live: liveView({}, 0) }, table, TUE_10).kind).toBe('subcenter');
  });
});

describe('route: overflow chains', () => {
  function withQueues(edit: (r: Registry) => void) {
    const r = cityRegistry();
    edit(r);
    return buildRoutingTable(r);
  }

  it('follows overflow to the first open queue, not straight to the pool', () => {
    const t = withQueues((r) => { r.queues.general = queue('综合', 'office-hours', { overflow: 'traffic' }); });
    expect(route({ to: '12345' }, t, shanghai('2026-03-03 19:00'))).toMatchObject({ queue: 'traffic', overflowedFrom: [{ queue: 'general', reason: 'closed' }] });
    expect(route({ to: '12345' }, t, shanghai('2026-03-03 21:00'))).toMatchObject({
      queue: 'pool-24x7', overflowedFrom: [{ queue: 'general', reason: 'closed' }, { queue: 'traffic', reason: 'closed' }],
    });
  });

  it('a cycle (rejected by validation) ends in the pool instead of looping', () => {
    const t = withQueues((r) => {
      r.queues.a = queue('A', 'office-hours', { overflow: 'b' });
      r.queues.b = queue('B', 'office-hours', { overflow: 'a' });
      r.hotline.queue = 'a';
    });
    expect(route({ to: '12345' }, t, SPRING_FESTIVAL)).toMatchObject({
      queue: 'pool-24x7', overflowedFrom: [{ queue: 'a', reason: 'closed' }, { queue: 'b', reason: 'closed' }],
    });
  });

  it('a closed pool that overflows back into a closed queue still ends in the pool', () => {
    const t = withQueues((r) => { r.queues['pool-24x7'] = queue('pool', 'office-hours', { overflow: 'general' }); });
    const d = route({ to: '12345' }, t, SPRING_FESTIVAL);
    expect(d).toMatchObject({ queue: 'pool-24x7', overflowedFrom: [{ queue: 'general', reason: 'closed' }] });
    expect(d.explanation.at(-1)).toMatch(/no open queue left: wait in pool-24x7/);
  });
});

describe('route: numbers', () => {
  it.each([
    ['12345'], ['+8612345'], ['008612345'], ['0086 12345'], [' 12345 '], ['sip:12345@10.0.0.1;user=phone'], ['tel:+86-12345'], ['SIP:+8612345@carrier'],
  ])('%s reaches the hotline', (to) => {
    expect(route({ to }, table, TUE_10)).toMatchObject({ kind: 'queue', line: { number: '12345' } });
  });

  it.each([
    ['', 400], ['   ', 400], ['sip:@host', 400],
    ['12399', 404], ['8612345', 404], ['057112345', 404], ['admin', 404], ['sip:admin@host', 404], ['+1 555 0100', 404], ['12', 404], ['1234 5x', 404],
  ])('%j is rejected with %i', (to, sipStatus) => {
    const d = route({ to }, table, TUE_10);
    expect(d).toMatchObject({ kind: 'reject', sipStatus });
    expect(d.explanation.at(-1)).toMatch(new RegExp(`^→ reject ${sipStatus}`));
  });

  it.each(['110', '119', '120', '122', '+86110', 'sip:120@carrier'])('emergency number %s is refused (403), never queued', (to) => {
    const d = route({ to }, table, TUE_10);
    expect(d).toMatchObject({ kind: 'reject', sipStatus: 403 });
    expect(d.kind === 'reject' && d.reason).toMatch(/emergency/);
  });

  it('an emergency number is refused even if a (mis)configured line claims it', () => {
    const r = cityRegistry();
    r.lines.push({ number: '110', name: '错配', mode: 'dual', priority: 0, queue: 'general' });
    expect(route({ to: '110' }, buildRoutingTable(r), TUE_10)).toMatchObject({ kind: 'reject', sipStatus: 403 });
  });

  it('with an area code, the national and international forms reach known numbers only', () => {
    const t = buildRoutingTable(cityRegistry(), { areaCode: '0571' });
    expect(route({ to: '057112345' }, t, TUE_10)).toMatchObject({ kind: 'queue', line: { number: '12345' } });
    expect(route({ to: '+8657112328' }, t, TUE_10)).toMatchObject({ kind: 'queue', line: { number: '12328' } });
    expect(route({ to: '0571110' }, t, TUE_10)).toMatchObject({ kind: 'reject', sipStatus: 403 });
    expect(route({ to: '057188888888' }, t, TUE_10)).toMatchObject({ kind: 'reject', sipStatus: 404 });
    // International form without the area code: "571…" is not stripped from a national number.
    expect(route({ to: '57112345' }, t, TUE_10)).toMatchObject({ kind: 'reject', sipStatus: 404 });
  });
});

describe('buildRoutingTable refuses a table that would misroute', () => {
  it.each<[string, (r: Registry) => void, RegExp]>([
    ['line to an unknown queue', (r) => { r.lines.push({ number: '12333', name: 'x', mode: 'dual', priority: 0, queue: 'nope' }); }, /line 12333: unknown queue "nope"/],
    ['a number defined twice', (r) => { r.lines.push({ number: '12328', name: 'x', mode: 'dual', priority: 0, queue: 'general' }); }, /12328 is defined twice/],
    ['a line on the hotline number', (r) => { r.lines.push({ number: '12345', name: 'x', mode: 'dual', priority: 0, queue: 'general' }); }, /12345 is defined twice/],
    ['a queue with an unknown schedule', (r) => { r.queues.x = queue('x', 'nope'); }, /queue x: unknown schedule "nope"/],
    ['overflow to an unknown queue', (r) => { r.queues.x = queue('x', '24x7', { overflow: 'nope' }); }, /unknown queue "nope"/],
    ['an unknown time zone', (r) => { r.hotline.timeZone = 'Asia/Nowhere'; }, /time zone|Asia\/Nowhere/i],
    ['an unknown pool queue', (r) => { r.hotline.poolQueue = 'nope'; }, /hotline.poolQueue: unknown queue/],
    ['a bad area code', () => undefined, /area code/],
  ])('%s', (_t, edit, message) => {
    const r = cityRegistry();
    edit(r);
    expect(() => buildRoutingTable(r, _t === 'a bad area code' ? { areaCode: '5x1' } : {})).toThrow(message);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareAgents, isEligible, rankAgents, selectAgent, skillScore } from '../../../src/core/acd/selection.js';
import { agent, queue } from './fixtures.js';

const taxQ = queue({ id: 'tax', skills: ['tax', 'mandarin'] });

describe('skill match', () => {
  const noSkillQ = queue({ id: 'tax', skills: [] });
  it.each([
    ['has every skill', taxQ, { tax: 1, mandarin: 3 }, ['tax'], true],
    ['has extra skills too', taxQ, { tax: 1, mandarin: 1, cantonese: 5 }, ['tax'], true],
    ['misses one skill', taxQ, { tax: 9 }, ['tax'], false],
    ['has the skills but does not serve the queue', taxQ, { tax: 1, mandarin: 1 }, ['q12345'], false],
    ['no skills required', noSkillQ, {}, ['tax'], true],
  ] as const)('%s', (_n, q, skills, queues, ok) => {
    expect(isEligible(agent('a', { skills, queues }), q)).toBe(ok);
  });

  it('sums levels of the queue skills only', () => {
    expect(skillScore(agent('a', { skills: { tax: 3, mandarin: 4, cantonese: 9 } }), ['tax', 'mandarin'])).toBe(7);
  });
});

describe('selectAgent', () => {
  const t = { queues: ['tax'] };
  const cases: { name: string; q: typeof taxQ; agents: ReturnType<typeof agent>[]; want: string | null }[] = [
    {
      name: 'skill-then-longest-idle: higher level sum wins over longer idle',
      q: taxQ,
      agents: [
        agent('old', { ...t, skills: { tax: 1, mandarin: 1 }, idleSince: 100 }),
        agent('expert', { ...t, skills: { tax: 5, mandarin: 5 }, idleSince: 900 }),
      ],
      want: 'expert',
    },
    {
      name: 'skill-then-longest-idle: equal levels → longest idle',
      q: taxQ,
      agents: [
        agent('b', { ...t, skills: { tax: 2, mandarin: 2 }, idleSince: 500 }),
        agent('a', { ...t, skills: { tax: 3, mandarin: 1 }, idleSince: 200 }),
      ],
      want: 'a',
    },
    {
      name: 'longest-idle ignores levels',
      q: { ...taxQ, selection: 'longest-idle' },
      agents: [
        agent('expert', { ...t, skills: { tax: 9, mandarin: 9 }, idleSince: 900 }),
        agent('idle', { ...t, skills: { tax: 1, mandarin: 1 }, idleSince: 100 }),
      ],
      want: 'idle',
    },
    {
      name: 'full tie → lowest id (deterministic)',
      q: taxQ,
      agents: [
        agent('b', { ...t, skills: { tax: 1, mandarin: 1 }, idleSince: 100 }),
        agent('a', { ...t, skills: { tax: 1, mandarin: 1 }, idleSince: 100 }),
      ],
      want: 'a',
    },
    {
      name: 'agents missing a skill are skipped however idle',
      q: taxQ,
      agents: [
        agent('noskill', { ...t, skills: { tax: 9 }, idleSince: 1 }),
        agent('ok', { ...t, skills: { tax: 1, mandarin: 1 }, idleSince: 999 }),
      ],
      want: 'ok',
    },
    {
      name: 'agents not ready are skipped',
      q: taxQ,
      agents: [
        agent('busy', { ...t, skills: { tax: 9, mandarin: 9 } }, { status: 'on-call', callId: 'x', queueId: 'tax' }),
        agent('brk', { ...t, skills: { tax: 9, mandarin: 9 } }, { status: 'not-ready', reason: 'break' }),
      ],
      want: null,
    },
    { name: 'no candidates', q: taxQ, agents: [], want: null },
  ];
  it.each(cases)('$name', ({ q, agents, want }) => {
    expect(selectAgent(q, agents)?.id ?? null).toBe(want);
    expect(rankAgents(q, agents)[0]?.id ?? null).toBe(want);
  });

  it('rankAgents orders everyone by the policy', () => {
    const agents = [
      agent('c', { ...t, skills: { tax: 1, mandarin: 1 }, idleSince: 300 }),
      agent('a', { ...t, skills: { tax: 5, mandarin: 1 }, idleSince: 300 }),
      agent('b', { ...t, skills: { tax: 1, mandarin: 1 }, idleSince: 100 }),
    ];
    expect(rankAgents(taxQ, agents).map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(compareAgents(taxQ, agents[0]!, agents[0]!)).toBe(0);
  });

  it('property: selectAgent is rankAgents\' first, for both policies and any mix of skills, idle times and states', () => {
    const agentArb = fc.record({
      tax: fc.integer({ min: 0, max: 3 }), mandarin: fc.integer({ min: 0, max: 3 }),
      idleSince: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
      ready: fc.boolean(), serves: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(agentArb, { maxLength: 12 }), fc.boolean(), (specs, bySkill) => {
      const q = queue({ id: 'tax', skills: ['tax', 'mandarin'], selection: bySkill ? 'skill-then-longest-idle' : 'longest-idle' });
      const agents = specs.map((x, i) => agent(`a${i % 5}${i}`, {
        skills: { tax: x.tax, mandarin: x.mandarin }, queues: x.serves ? ['tax'] : ['other'], idleSince: x.idleSince,
      }, x.ready ? { status: 'ready' } : { status: 'not-ready', reason: 'break' }));
      expect(selectAgent(q, agents)?.id ?? null).toBe(rankAgents(q, agents)[0]?.id ?? null);
    }), { numRuns: 500 });
  });
});

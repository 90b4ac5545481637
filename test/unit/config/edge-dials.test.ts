/**
 * `edge:` in the registry: agents written `user/<id>` are rung through the SIP edge (their phones
 * register there, not on a node), everywhere the registry's dial strings go — the router's bridge
 * and the generated dialplan's fallback alike. Other dial strings stay as written.
 */
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import type { Registry } from '../../../src/config/schema.js';
import { fallbackPlan } from '../../../src/dialplan/plan.js';
import { minimalWith, problemsIn, summaries } from './registry-fixtures.js';

const agents = (r: Registry): void => {
  r.agents = [
    { id: '1001', name: '王芳', dial: 'user/1001', skills: { general: 5 }, queues: ['general', 'pool'] },
    { id: '1002', name: '李强', dial: 'sofia/hotline-agents/sip:1002@10.0.0.31:5060', skills: { general: 5 }, queues: ['general'] },
    { id: '1003', name: '张伟', dial: 'user/1003@other.domain', skills: { general: 5 }, queues: ['general'] },
  ];
};

function load(change: (r: Registry) => void): Registry {
  const result = parseRegistry(minimalWith(change), 'edge.yaml');
  if (!result.ok) throw new Error(summaries(result.problems).join('; '));
  return result.registry;
}

describe('agents rung through the SIP edge', () => {
  it('without edge: every dial string as written', () => {
    const r = load(agents);
    expect(r.agents.map((a) => a.dial)).toEqual(['user/1001', 'sofia/hotline-agents/sip:1002@10.0.0.31:5060', 'user/1003@other.domain']);
  });

  it('with edge: user/<id> becomes sofia/<profile>/<id>@<edge>, in the loaded registry and the dialplan fallback', () => {
    const r = load((x) => { agents(x); x.edge = { sip: '10.0.0.5:5060', profile: 'hotline-carrier' }; });
    expect(r.agents.map((a) => a.dial)).toEqual([
      'sofia/hotline-carrier/1001@10.0.0.5:5060',
      'sofia/hotline-agents/sip:1002@10.0.0.31:5060',
      // a user in another domain is not this node's directory: left alone
      'user/1003@other.domain',
    ]);
    // 1001 serves the pool: the fallback rings it through the edge first.
    expect(fallbackPlan(r).pool).toEqual(['sofia/hotline-carrier/1001@10.0.0.5:5060']);
  });

  it('the profile defaults to hotline-carrier', () => {
    const r = load((x) => { agents(x); (x as { edge?: unknown }).edge = { sip: '[2001:db8::5]:5060' }; });
    expect(r.agents[0]?.dial).toBe('sofia/hotline-carrier/1001@[2001:db8::5]:5060');
  });

  it('refuses an edge address that is not host:port, with its place', () => {
    const problems = problemsIn(minimalWith((x) => { (x as { edge?: unknown }).edge = { sip: '10.0.0.5' }; }));
    expect(summaries(problems)).toHaveLength(1);
    expect(summaries(problems)[0]).toMatch(/^edge\.sip /);
  });
});

import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import { agentIds, benchDialplan, benchRegistry, callcenterConf, CALLCENTER_NUMBER, BASELINE_NUMBER } from '../../../bench/support/fs-bench/conf.js';

describe('FreeSWITCH bench configuration', () => {
  const ids = agentIds(3);

  it('gives the router and mod_callcenter the same agents at the same contacts', () => {
    expect(ids).toEqual(['2001', '2002', '2003']);
    const loaded = parseRegistry(benchRegistry(ids, 7000), 'bench.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded));
    expect(loaded.registry.agents.map((a) => a.dial)).toEqual(ids.map((id) => `sofia/hotline-agents/sip:${id}@127.0.0.1:7000`));
    expect(loaded.registry.queues.general?.wrapUpSeconds).toBe(0);
    const cc = callcenterConf(ids, 7000);
    for (const id of ids) expect(cc).toContain(`contact="[leg_timeout=10]sofia/hotline-agents/sip:${id}@127.0.0.1:7000"`);
    expect(cc).toContain('value="longest-idle-agent"');
    expect(cc).toContain('wrap-up-time="0"');
  });

  it('puts the bench numbers into the generated hotline context', () => {
    const plan = benchDialplan('<include>\n  <context name="hotline">\n  </context>\n</include>', '/tmp/b.wav');
    expect(plan).toContain(`expression="^${CALLCENTER_NUMBER}$"`);
    expect(plan).toContain(`expression="^${BASELINE_NUMBER}$"`);
    expect(plan).toContain('data="/tmp/b.wav"');
    expect(() => benchDialplan('<include/>', '/x')).toThrow(/no hotline context/);
  });
});

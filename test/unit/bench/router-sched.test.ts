import { describe, expect, it } from 'vitest';
import { DEPLOYED_ROUTER_SCHED, describeSched, parseRouterSched } from '../../../bench/support/fs-bench/router-sched.js';

describe('FS_BENCH_ROUTER_SCHED', () => {
  it('defaults to the deployed unit\'s SCHED_RR 10', () => {
    expect(parseRouterSched(undefined)).toEqual({ policy: 'rr', priority: 10 });
    expect(parseRouterSched('')).toBe(DEPLOYED_ROUTER_SCHED);
  });

  it('takes other, or rr with a priority of 1–99', () => {
    expect(parseRouterSched('other')).toEqual({ policy: 'other' });
    expect(parseRouterSched('rr:50')).toEqual({ policy: 'rr', priority: 50 });
    expect(describeSched(parseRouterSched('rr:50'))).toBe('SCHED_RR priority 50');
  });

  it.each(['rr', 'rr:0', 'rr:100', 'fifo:10', 'RR:10', ' rr:10'])('refuses %j with the expected form', (spec) => {
    expect(() => parseRouterSched(spec)).toThrow(/expected other or rr:<1-99>/);
  });
});

/** What every AgentRegistrations store does, run on memory and on a real Redis. */
import { describe, expect, it } from 'vitest';
import type { AgentRegistrations } from '../../../src/app/edge/registrations.js';
import { MAX_CONTACTS } from '../../../src/core/edge/index.js';

const T0 = 1_780_000_000_000;
const bindingAt = (contact: string, expiresAt: number) => ({ contact, expiresAt, source: '192.0.2.7:5062' });

export function describeRegistrationsContract(name: string, make: () => AgentRegistrations): void {
  describe(`agent registrations (${name})`, () => {
    it('returns a binding until it expires, and not at or after its expiry', async () => {
      const s = make();
      await s.bind('1001', bindingAt('sip:1001@192.0.2.7:5062', T0 + 60_000), T0);
      expect(await s.bindings('1001', T0 + 59_999)).toEqual([bindingAt('sip:1001@192.0.2.7:5062', T0 + 60_000)]);
      expect(await s.bindings('1001', T0 + 60_000)).toEqual([]);
      expect(await s.bindings('1002', T0)).toEqual([]);
    });

    it('a refresh of the same contact replaces its expiry; contacts of one agent are kept apart, soonest expiry first', async () => {
      const s = make();
      await s.bind('1001', bindingAt('sip:1001@192.0.2.7:5062', T0 + 60_000), T0);
      await s.bind('1001', bindingAt('sip:1001@198.51.100.2:5060', T0 + 30_000), T0);
      await s.bind('1001', bindingAt('sip:1001@192.0.2.7:5062', T0 + 120_000), T0 + 1000);
      expect((await s.bindings('1001', T0 + 2000)).map((b) => [b.contact, b.expiresAt])).toEqual([
        ['sip:1001@198.51.100.2:5060', T0 + 30_000],
        ['sip:1001@192.0.2.7:5062', T0 + 120_000],
      ]);
    });

    it('unbind removes one contact, unbindAll every one; other agents keep theirs', async () => {
      const s = make();
      await s.bind('1001', bindingAt('sip:a@192.0.2.7', T0 + 60_000), T0);
      await s.bind('1001', bindingAt('sip:b@192.0.2.7', T0 + 60_000), T0);
      await s.bind('1002', bindingAt('sip:c@192.0.2.8', T0 + 60_000), T0);
      await s.unbind('1001', 'sip:a@192.0.2.7');
      expect((await s.bindings('1001', T0)).map((b) => b.contact)).toEqual(['sip:b@192.0.2.7']);
      await s.unbindAll('1001');
      expect(await s.bindings('1001', T0)).toEqual([]);
      expect((await s.bindings('1002', T0)).map((b) => b.contact)).toEqual(['sip:c@192.0.2.8']);
    });

    it(`keeps at most ${MAX_CONTACTS} contacts per agent: the one expiring soonest goes`, async () => {
      const s = make();
      for (let i = 0; i <= MAX_CONTACTS; i++) await s.bind('1001', bindingAt(`sip:p${i}@192.0.2.7`, T0 + 60_000 + i), T0);
      const kept = (await s.bindings('1001', T0)).map((b) => b.contact);
      expect(kept).toHaveLength(MAX_CONTACTS);
      expect(kept).not.toContain('sip:p0@192.0.2.7');
    });

    it('an expired contact does not count against the limit and is not brought back by a later bind', async () => {
      const s = make();
      for (let i = 0; i < MAX_CONTACTS; i++) await s.bind('1001', bindingAt(`sip:old${i}@192.0.2.7`, T0 + 1000), T0);
      await s.bind('1001', bindingAt('sip:new@192.0.2.7', T0 + 90_000), T0 + 5000);
      expect((await s.bindings('1001', T0 + 5000)).map((b) => b.contact)).toEqual(['sip:new@192.0.2.7']);
    });
  });
}

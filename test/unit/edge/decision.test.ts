import { describe, expect, it } from 'vitest';
import { edgeDecision, isScannerUserAgent } from '../../../src/core/edge/index.js';
import { route } from '../../../src/core/routing/index.js';
import { edgeTable, invite, MONDAY_10H, TRUNK } from './edge-fixtures.js';

const table = edgeTable();

describe('edgeDecision', () => {
  it('forwards a dual legacy line as itself, whatever form the carrier used', () => {
    const d = edgeDecision(table, TRUNK, invite('sip:057188001234@edge', { Diversion: '<tel:+86-571-12328>;reason=unconditional' }), MONDAY_10H);
    expect(d).toMatchObject({
      kind: 'forward', trunk: 'ct', line: '12328',
      headers: { 'X-Hotline-Line': '12328', 'X-Hotline-Dialed': '+8657112328', 'X-Hotline-Trunk': 'ct' },
      route: { kind: 'queue', line: { number: '12328', mode: 'dual' } },
    });
  });

  it('forwards a sub-center line and the hotline itself', () => {
    expect(edgeDecision(table, TRUNK, invite('sip:12366@edge'), MONDAY_10H)).toMatchObject({ kind: 'forward', line: '12366', route: { kind: 'subcenter' } });
    expect(edgeDecision(table, TRUNK, invite('tel:+8612345'), MONDAY_10H)).toMatchObject({ kind: 'forward', line: '12345' });
  });

  it('refuses an emergency number with routing\'s 403, before any media', () => {
    const d = edgeDecision(table, TRUNK, invite('sip:0571120@edge'), MONDAY_10H);
    expect(d).toMatchObject({ kind: 'refuse', status: 403, reason: 'emergency', trunk: 'ct' });
  });

  it('refuses an unknown number with 404 and a request without a number with 400', () => {
    expect(edgeDecision(table, TRUNK, invite('sip:88001234@edge'), MONDAY_10H)).toMatchObject({ kind: 'refuse', status: 404, reason: 'unknown-number' });
    expect(edgeDecision(table, TRUNK, invite('sip:admin@edge'), MONDAY_10H)).toMatchObject({ kind: 'refuse', status: 404, reason: 'unknown-number' });
    expect(edgeDecision(table, TRUNK, invite('sip:edge.example'), MONDAY_10H)).toMatchObject({ kind: 'refuse', status: 400, reason: 'no-destination' });
  });

  it('gives the same status as route() for every refused number', () => {
    for (const to of ['110', '119', '0571122', '99999', '+4412328', 'x']) {
      const d = edgeDecision(table, { ...TRUNK, calledNumberFrom: ['request-uri'] }, invite(`sip:${to}@edge`), MONDAY_10H);
      const r = route({ to }, table, MONDAY_10H);
      expect(r.kind).toBe('reject');
      expect(d.kind === 'refuse' && d.status).toBe(r.kind === 'reject' && r.sipStatus);
    }
  });

  it('refuses an INVITE from no trunk and a scanner, even from a trunk address', () => {
    expect(edgeDecision(table, undefined, invite('sip:12345@edge', {}, '192.0.2.66'), MONDAY_10H)).toEqual({
      kind: 'refuse', status: 403, reason: 'no-trunk', detail: 'no trunk has source 192.0.2.66',
    });
    expect(edgeDecision(table, TRUNK, invite('sip:12345@edge', { 'User-Agent': 'friendly-scanner' }), MONDAY_10H)).toMatchObject({ kind: 'refuse', reason: 'scanner' });
  });

  it('never puts a line break or non-ASCII from the carrier into a header it writes', () => {
    const d = edgeDecision(table, TRUNK, invite('sip:12345@edge', { To: '<sip:12328%0D%0AX-Evil:%201@e>' }), MONDAY_10H);
    expect(d.kind).toBe('forward');
    if (d.kind !== 'forward') return;
    expect(d.line).toBe('12345');
    for (const v of Object.values(d.headers)) expect(v).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe('isScannerUserAgent', () => {
  it.each([['friendly-scanner', true], ['sipvicious 0.3.4', true], ['VaxSIPUserAgent/3.1', true], ['SIPCLI/v1.8', true], ['FreeSWITCH-mod_sofia', false], ['Yealink SIP-T46S', false], [undefined, false]])(
    '%s → %s', (ua, scanner) => { expect(isScannerUserAgent(ua)).toBe(scanner); },
  );
});

import { describe, expect, it } from 'vitest';
import { calledNumber, normalizeCalled, numbersAt } from '../../../src/core/edge/index.js';
import { edgeTable, invite, TRUNK } from './edge-fixtures.js';

const table = edgeTable();
const all = TRUNK.calledNumberFrom;

describe('normalizeCalled', () => {
  it.each([
    ['12328', '12328'],
    ['+8612328', '12328'],
    ['008612328', '12328'],
    ['057112328', '12328'],
    ['+8657112328', '12328'],
    ['0086 571 12328', '12328'],
    ['1795112328', '12328'],
    ['17951057112328', '12328'],
    ['110', '110'],
    ['0571110', '110'],
  ])('%s is the known number %s', (raw, digits) => {
    expect(normalizeCalled(raw, table, ['17951'])).toEqual({ digits, known: true });
  });

  it('keeps an unknown number as its plain digits, without guessing at prefixes', () => {
    expect(normalizeCalled('+86057299999', table, ['17951'])).toEqual({ digits: '057299999', known: false });
    expect(normalizeCalled('057212328', table, [])).toEqual({ digits: '057212328', known: false });
    // A carrier prefix is only removed when the caller would otherwise reach nothing.
    expect(normalizeCalled('1795112328', table, [])).toEqual({ digits: '1795112328', known: false });
  });

  it('has no digits for what is not a number, and refuses other countries', () => {
    expect(normalizeCalled('admin', table, [])).toEqual({ digits: undefined, known: false });
    expect(normalizeCalled('+112328', table, [])).toEqual({ digits: undefined, known: false });
  });
});

describe('numbersAt', () => {
  const inv = invite('sip:12345@edge', {
    To: '<sip:12345@edge>', 'P-Called-Party-ID': '<tel:+8612315>',
    Diversion: '<sip:88001234@c>;reason=unconditional, <sip:12328@c>;reason=unconditional',
    'History-Info': '<sip:88001234@c>;index=1.1, <sip:12366@c>;index=1',
  });
  it.each([
    ['request-uri', ['12345']], ['to', ['12345']], ['p-called-party-id', ['+8612315']],
    ['diversion', ['12328', '88001234']], ['history-info', ['12366', '88001234']],
  ] as const)('%s → %j', (source, numbers) => {
    expect(numbersAt(source, inv)).toEqual(numbers);
  });

  it('finds nothing in an absent or empty header', () => {
    expect(numbersAt('diversion', invite('sip:1@e', { Diversion: '  ' }))).toEqual([]);
    expect(numbersAt('to', invite('sip:1@e'))).toEqual([]);
  });
});

describe('calledNumber: the trunk\'s places in order, the first known number wins', () => {
  it('takes the Request-URI when it names a line', () => {
    expect(calledNumber({ calledNumberFrom: all, stripPrefixes: [] }, invite('sip:+8657112328@edge;user=phone'), table)).toEqual({
      digits: '12328', known: true, source: 'request-uri', raw: '+8657112328',
    });
  });

  it('passes over a DID that is no line to the legacy number in Diversion', () => {
    const inv = invite('sip:057188001234@edge', { To: '<sip:057188001234@edge>', Diversion: '<sip:057112328@c>;reason=unconditional' });
    expect(calledNumber({ calledNumberFrom: all, stripPrefixes: [] }, inv, table)).toMatchObject({ digits: '12328', source: 'diversion' });
  });

  it('follows the trunk\'s order, not the header order', () => {
    const inv = invite('sip:12345@edge', { 'P-Called-Party-ID': '<sip:12328@c>' });
    expect(calledNumber({ calledNumberFrom: ['p-called-party-id', 'request-uri'], stripPrefixes: [] }, inv, table)?.digits).toBe('12328');
    expect(calledNumber({ calledNumberFrom: ['request-uri', 'p-called-party-id'], stripPrefixes: [] }, inv, table)?.digits).toBe('12345');
  });

  it('reads History-Info\'s first target', () => {
    const inv = invite('sip:88001234@edge', { 'History-Info': '<sip:88001234@c>;index=1.1, <tel:12366>;index=1' });
    expect(calledNumber({ calledNumberFrom: ['history-info'], stripPrefixes: [] }, inv, table)).toMatchObject({ digits: '12366', source: 'history-info' });
  });

  it('ignores places the trunk does not list', () => {
    const inv = invite('sip:88001234@edge', { Diversion: '<sip:12328@c>' });
    expect(calledNumber({ calledNumberFrom: ['request-uri', 'to'], stripPrefixes: [] }, inv, table)).toEqual({
      digits: '88001234', known: false, source: 'request-uri', raw: '88001234',
    });
  });

  it('returns the first number found when none is known, and nothing when no place holds one', () => {
    expect(calledNumber({ calledNumberFrom: all, stripPrefixes: [] }, invite('sip:admin@edge', { To: '<sip:99999@e>' }), table)).toMatchObject({ raw: 'admin', digits: undefined });
    expect(calledNumber({ calledNumberFrom: all, stripPrefixes: [] }, invite('sip:edge.example'), table)).toBeUndefined();
  });
});

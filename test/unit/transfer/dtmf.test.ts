import { describe, expect, it } from 'vitest';
import { FeatureCodeParser, parseFeatureCode } from '../../../src/core/transfer/index.js';

describe('parseFeatureCode', () => {
  it.each([
    ['*112366#', { kind: 'action', action: { kind: 'start', target: '12366' } }],
    ['*1110#', { kind: 'action', action: { kind: 'start', target: '110' } }],
    ['*2', { kind: 'action', action: { kind: 'three-way' } }],
    ['*3', { kind: 'action', action: { kind: 'complete' } }],
    ['*0', { kind: 'action', action: { kind: 'cancel' } }],
    ['*', { kind: 'partial' }],
    ['*1', { kind: 'partial' }],
    ['*1123', { kind: 'partial' }],
  ] as const)('%s', (code, expected) => {
    expect(parseFeatureCode(code)).toEqual(expected);
  });

  it.each(['12', '*9', '*1#', '*1123#4', `*1${'1'.repeat(21)}`])('%s is invalid', (code) => {
    expect(parseFeatureCode(code).kind).toBe('invalid');
  });
});

describe('FeatureCodeParser', () => {
  const feed = (p: FeatureCodeParser, digits: string, at = 0, step = 100) =>
    [...digits].map((d, i) => p.push(d, at + i * step)).filter((a) => a !== undefined);

  it('emits an action when a code completes, one digit at a time', () => {
    const p = new FeatureCodeParser();
    expect(feed(p, '*112366#')).toEqual([{ kind: 'start', target: '12366' }]);
    expect(feed(p, '*2', 10_000)).toEqual([{ kind: 'three-way' }]);
    expect(feed(p, '*3*0', 20_000)).toEqual([{ kind: 'complete' }, { kind: 'cancel' }]);
  });

  it('drops a code when the agent pauses longer than the inter-digit time', () => {
    const p = new FeatureCodeParser(1000);
    expect(p.push('*', 0)).toBeUndefined();
    expect(p.push('1', 500)).toBeUndefined();
    expect(p.push('1', 2000)).toBeUndefined(); // starts over with "1": invalid, dropped
    expect(feed(p, '*0', 5000)).toEqual([{ kind: 'cancel' }]);
  });

  it('a new * starts over; stray digits are ignored', () => {
    const p = new FeatureCodeParser();
    expect(feed(p, '55*11*2')).toEqual([{ kind: 'three-way' }]);
  });
});

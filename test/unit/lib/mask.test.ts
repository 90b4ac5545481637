import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/lib/logger.js';
import { maskNumber } from '../../../src/lib/mask.js';

describe('maskNumber', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['057187001234', '057*****1234'],
    ['8612345', '8****45'],
    ['110', '***'],
    ['', ''],
  ])('%s → %s', (input, masked) => {
    expect(maskNumber(input)).toBe(masked);
  });
});

describe('logger', () => {
  it('masks caller numbers at the top level and one level down', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); },
    });
    const log = createLogger({ destination: sink });
    log.info({ from: '13812341234', call: { caller: '13912345678' }, to: '12345' }, 'call arrived');
    const entry = JSON.parse(lines.join('')) as Record<string, unknown>;
    expect(entry.from).toBe('138****1234');
    expect(entry.call).toEqual({ caller: '139****5678' });
    expect(entry.to).toBe('12345');
    expect(lines.join('')).not.toContain('13812341234');
  });
});

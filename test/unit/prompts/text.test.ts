import { describe, expect, it } from 'vitest';
import { numberedPromptFile, phoneDigits, placeholdersOf, promptVariants, quantity, speakable } from '../../../src/prompts/index.js';

const registry = {
  hotline: { number: '12345', region: '杭州市' },
  lines: [{ number: '12328', name: '交通运输服务监督热线' }, { number: '12366', name: '纳税缴费服务热线' }],
} as unknown as Parameters<typeof promptVariants>[2];

describe('Mandarin reading of numbers', () => {
  it('reads phone numbers digit by digit with 1 as 幺', () => {
    expect(phoneDigits('12345')).toBe('幺二三四五');
    expect(speakable('欢迎致电12345热线')).toBe('欢迎致电幺二三四五热线');
  });

  it('reads counts as quantities, 2 as 两', () => {
    expect([1, 2, 10, 12, 20, 22, 50, 100, 105, 110, 200].map(quantity))
      .toEqual(['一', '两', '十', '十二', '二十', '二十二', '五十', '一百', '一百零五', '一百一十', '两百']);
    expect(speakable('您前面还有2位，预计等待15分钟')).toBe('您前面还有两位，预计等待十五分钟');
    expect(() => quantity(1000)).toThrow(RangeError);
  });
});

describe('prompt variants (the pre-rendering scheme)', () => {
  it('renders {position} as 1..50 plus an "over" phrase', () => {
    const r = promptVariants('position', '您前面还有{position}位', registry);
    if (!r.ok) throw new Error(r.problem);
    expect(r.variants).toHaveLength(51);
    expect(r.variants[0]).toEqual({ file: 'position-1.wav', text: '您前面还有1位' });
    expect(r.variants[49]).toEqual({ file: 'position-50.wav', text: '您前面还有50位' });
    expect(r.variants[50]).toEqual({ file: 'position-over.wav', text: '您前面还有50多位' });
  });

  it('renders {minutes} as 1..30 plus over, plain text as one file, {line} per number', () => {
    const wait = promptVariants('wait', '预计等待{minutes}分钟', registry);
    expect(wait.ok && wait.variants.map((v) => v.file).slice(-2)).toEqual(['wait-30.wav', 'wait-over.wav']);
    expect(promptVariants('bye', '再见', registry)).toEqual({ ok: true, variants: [{ file: 'bye.wav', text: '再见' }] });
    const perLine = promptVariants('moved', '{line}{name}已并入12345', registry);
    expect(perLine.ok && perLine.variants.map((v) => [v.file, v.text])).toEqual([
      ['moved-12345.wav', '12345杭州市政务服务便民热线已并入12345'],
      ['moved-12328.wav', '12328交通运输服务监督热线已并入12345'],
      ['moved-12366.wav', '12366纳税缴费服务热线已并入12345'],
    ]);
  });

  it('refuses prompts that mix number placeholders', () => {
    expect(placeholdersOf('{position}{minutes}{position}')).toEqual(['position', 'minutes']);
    const r = promptVariants('both', '前面{position}位，等待{minutes}分钟', registry);
    expect(r.ok).toBe(false);
  });

  it('tells the router which file to play for a value', () => {
    expect(numberedPromptFile('position', 'position', 7)).toBe('position-7.wav');
    expect(numberedPromptFile('position', 'position', 51)).toBe('position-over.wav');
    expect(numberedPromptFile('wait', 'minutes', 0)).toBe('wait-1.wav');
    expect(numberedPromptFile('wait', 'minutes', 30.9)).toBe('wait-30.wav');
  });
});

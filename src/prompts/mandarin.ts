/**
 * Turns prompt text into what a Mandarin caller expects to hear before it reaches the TTS:
 * hotline numbers are read digit by digit with 1 as 幺 ("幺二三四五", as operators say it),
 * counts are read as quantities, with 两 before a measure word ("两位", "两分钟").
 * espeak-ng would otherwise read 12345 as 一万二千三百四十五.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const PHONE_DIGITS = ['零', '幺', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** A run of this many digits or more is a phone number, read digit by digit. */
const PHONE_MIN_DIGITS = 3;

export function phoneDigits(number: string): string {
  return [...number].map((d) => PHONE_DIGITS[Number(d)] ?? d).join('');
}

/** 0..999 as a spoken count; 2 alone is 两 (两位, 两分钟), 20 stays 二十. */
export function quantity(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) throw new RangeError(`quantity ${n} outside 0..999`);
  if (n === 2) return '两';
  if (n < 10) return DIGITS[n] ?? '';
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const ones = n % 10;
  let words = '';
  if (hundreds > 0) words += `${hundreds === 2 ? '两' : DIGITS[hundreds]}百`;
  if (tens > 0) words += `${hundreds === 0 && tens === 1 ? '' : DIGITS[tens]}十`;
  else if (hundreds > 0 && ones > 0) words += '零';
  if (ones > 0) words += DIGITS[ones];
  return words;
}

export function speakable(text: string): string {
  return text.replace(/[0-9]+/g, (run) => (run.length >= PHONE_MIN_DIGITS ? phoneDigits(run) : quantity(Number(run))));
}

/**
 * Caller numbers are personal data (GB/T 33358: details kept confidential): anything that leaves
 * the process for a log or a role without the right sees 138****1234, never the whole number.
 */
export function maskNumber(value: string): string {
  const digits = value.trim();
  if (digits.length <= 4) return '*'.repeat(digits.length);
  if (digits.length <= 7) return `${digits.slice(0, 1)}${'*'.repeat(digits.length - 3)}${digits.slice(-2)}`;
  const keepHead = 3;
  const keepTail = 4;
  return `${digits.slice(0, keepHead)}${'*'.repeat(digits.length - keepHead - keepTail)}${digits.slice(-keepTail)}`;
}

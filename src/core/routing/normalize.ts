/**
 * Dialed-number normalisation. Accepted forms (anything else is garbage → rejected):
 * - digits: "12345"; spaces and '-' are ignored as visual separators ("0086 12345", "123-45");
 * - a SIP/TEL URI: "sip:12345@host;user=phone", "sips:…", "tel:+86-12345" → its user part;
 * - China's country code: "+86…" or "0086…" is stripped ("+8612345" → "12345");
 * - with an area code configured (e.g. "571"), the national "0571…" and international
 *   "+86571…" forms as well — but only when what remains is a number this hotline knows,
 *   because a stripped prefix could otherwise eat the first digits of a real number
 *   (Beijing's area code 10 is also the start of carrier numbers like 10086).
 * Any other '+' country code is not ours. Bare "86…" is not stripped: it is ambiguous.
 */

export type Normalized =
  | { readonly ok: true; readonly digits: string; readonly international: boolean }
  | { readonly ok: false; readonly sipStatus: number; readonly reason: string };

const URI = /^(?:sips?|tel):([^@;]*)/i;
const DIGITS = /^[0-9]{3,20}$/;

export function normalizeDestination(to: string): Normalized {
  let s = to.trim();
  const uri = URI.exec(s);
  if (uri !== null) s = uri[1] ?? '';
  s = s.replace(/[\s-]/g, '');
  // 400: the request carries no destination at all — a malformed request, not an unknown number.
  if (s === '') return { ok: false, sipStatus: 400, reason: 'empty destination number' };
  let international = false;
  if (s.startsWith('+86')) { s = s.slice(3); international = true; }
  else if (s.startsWith('0086')) { s = s.slice(4); international = true; }
  // 404 rather than 400 for garbage: scanners probe with names and odd strings; to them this
  // server simply has no such number, which reveals nothing.
  else if (s.startsWith('+')) return { ok: false, sipStatus: 404, reason: `not a number in China (+86): "${to}"` };
  if (!DIGITS.test(s)) return { ok: false, sipStatus: 404, reason: `not a dialable number: "${to}"` };
  return { ok: true, digits: s, international };
}

/** Area-code-stripped alternatives of a normalised number, to try when the number itself is unknown. */
export function withoutAreaCode(n: { digits: string; international: boolean }, areaCode: string | undefined): string | undefined {
  if (areaCode === undefined || areaCode === '') return undefined;
  const prefix = n.international ? areaCode : `0${areaCode}`;
  return n.digits.length > prefix.length && n.digits.startsWith(prefix) ? n.digits.slice(prefix.length) : undefined;
}

/** "0571" and "571" both mean Hangzhou; keep the form without the trunk prefix. */
export function canonicalAreaCode(areaCode: string | undefined): string | undefined {
  if (areaCode === undefined) return undefined;
  const digits = areaCode.replace(/^0+/, '');
  if (!/^[0-9]{2,3}$/.test(digits)) throw new Error(`area code must be 2-3 digits after the trunk 0, e.g. "571": "${areaCode}"`);
  return digits;
}

/**
 * The transfer feature code an agent keys on the phone (the alternative to the agent API):
 *   *1<target digits>#   start a consult with the target (its number, e.g. *112366# or *1110#)
 *   *2                   three-way          *3  complete          *0  cancel
 * Digits come one at a time (DTMF events of the agent's leg); a code not finished within
 * `interDigitMs` of the previous digit is dropped, as is anything not starting with `*`.
 * Pure: time arrives with each digit.
 */

export type FeatureAction =
  | { readonly kind: 'start'; readonly target: string }
  | { readonly kind: 'three-way' }
  | { readonly kind: 'complete' }
  | { readonly kind: 'cancel' };

export type FeatureCodeResult =
  | { readonly kind: 'action'; readonly action: FeatureAction }
  /** A prefix of a valid code: keep collecting. */
  | { readonly kind: 'partial' }
  | { readonly kind: 'invalid'; readonly reason: string };

const SIMPLE: Readonly<Record<string, FeatureAction>> = {
  '*2': { kind: 'three-way' }, '*3': { kind: 'complete' }, '*0': { kind: 'cancel' },
};
const MAX_TARGET_DIGITS = 20;

/** Reads one complete or partial code. */
export function parseFeatureCode(code: string): FeatureCodeResult {
  if (code === '' || code === '*') return { kind: 'partial' };
  if (!code.startsWith('*')) return { kind: 'invalid', reason: 'feature codes start with *' };
  const simple = SIMPLE[code];
  if (simple !== undefined) return { kind: 'action', action: simple };
  if (!code.startsWith('*1')) return { kind: 'invalid', reason: `unknown feature code ${code}` };
  const rest = code.slice(2);
  const end = rest.indexOf('#');
  const digits = end < 0 ? rest : rest.slice(0, end);
  if (!/^[0-9]*$/.test(digits)) return { kind: 'invalid', reason: 'a target is digits only, ended by #' };
  if (digits.length > MAX_TARGET_DIGITS) return { kind: 'invalid', reason: 'target number too long' };
  if (end < 0) return { kind: 'partial' };
  if (end !== rest.length - 1) return { kind: 'invalid', reason: 'digits after #' };
  if (digits === '') return { kind: 'invalid', reason: 'no target number before #' };
  return { kind: 'action', action: { kind: 'start', target: digits } };
}

export class FeatureCodeParser {
  private buffer = '';
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly interDigitMs = 4000) {}

  /** Feeds one digit; returns the action when a code is complete, else undefined. */
  push(digit: string, at: number): FeatureAction | undefined {
    if (at - this.lastAt > this.interDigitMs) this.buffer = '';
    this.lastAt = at;
    // A new '*' always starts a new code: a mistyped code is abandoned by starting over.
    this.buffer = digit === '*' ? '*' : this.buffer + digit;
    const r = parseFeatureCode(this.buffer);
    if (r.kind === 'partial') return undefined;
    this.buffer = '';
    return r.kind === 'action' ? r.action : undefined;
  }
}

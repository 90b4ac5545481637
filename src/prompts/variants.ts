/**
 * Which audio files a text prompt becomes. Prompts with numbers in them are rendered ahead of
 * time as whole phrases, one file per value, so the router plays them without TTS at call time
 * and the caller hears natural prosody rather than spliced digits:
 *
 *   {position}  N = 1..50 → <id>-N.wav ("您前面还有N位"); above 50 → <id>-over.wav ("…50多位")
 *   {minutes}   N = 1..30 → <id>-N.wav ("预计等待N分钟"); above 30 → <id>-over.wav ("…30多分钟")
 *   {line} / {name}  one file per hotline number and line → <id>-<number>.wav
 *   no placeholder   <id>.wav
 *
 * numberedPromptFile() is the lookup the router uses at call time.
 */
import type { Registry } from '../config/schema.js';
import { NUMBERED_RANGES, type NumberedPlaceholder } from '../core/call/prompt-files.js';

export { NUMBERED_RANGES, numberedPromptFile, type NumberedPlaceholder } from '../core/call/prompt-files.js';

export interface PromptVariant {
  /** File name inside the prompts directory. */
  readonly file: string;
  /** The text with placeholders filled in (digits still as digits). */
  readonly text: string;
}

const PLACEHOLDER = /\{(position|minutes|line|name)\}/g;

export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => values[key] ?? whole);
}

export type VariantResult = { ok: true; variants: PromptVariant[] } | { ok: false; problem: string };

export function promptVariants(id: string, text: string, registry: Pick<Registry, 'hotline' | 'lines'>): VariantResult {
  const used = placeholdersOf(text);
  const numbered = used.filter((p): p is NumberedPlaceholder => p in NUMBERED_RANGES);
  const perLine = used.filter((p) => p === 'line' || p === 'name');
  if (numbered.length > 1 || (numbered.length > 0 && perLine.length > 0)) {
    return { ok: false, problem: `prompt "${id}" mixes placeholders {${used.join('}, {')}}: pre-rendering supports one number per prompt` };
  }
  const [placeholder] = numbered;
  if (placeholder !== undefined) {
    const max = NUMBERED_RANGES[placeholder];
    const variants = Array.from({ length: max }, (_, i) => ({ file: `${id}-${i + 1}.wav`, text: fill(text, { [placeholder]: String(i + 1) }) }));
    // "50多" (fifty-odd) is how a person would put it; better than a wrong exact count.
    variants.push({ file: `${id}-over.wav`, text: fill(text, { [placeholder]: `${max}多` }) });
    return { ok: true, variants };
  }
  if (perLine.length > 0) {
    const lines = [{ number: registry.hotline.number, name: `${registry.hotline.region}政务服务便民热线` }, ...registry.lines];
    return { ok: true, variants: lines.map((l) => ({ file: `${id}-${l.number}.wav`, text: fill(text, { line: l.number, name: l.name }) })) };
  }
  return { ok: true, variants: [{ file: `${id}.wav`, text }] };
}

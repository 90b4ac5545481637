/**
 * The file names of prompts with a number in them: rendered ahead of time as whole phrases, one
 * file per value, so the router plays them without TTS at call time. The renderer
 * (src/prompts/) writes these names and the call sessions play them: one lookup, so the two
 * cannot drift.
 *
 *   {position}  N = 1..50 → <id>-N.wav; above 50 → <id>-over.wav
 *   {minutes}   N = 1..30 → <id>-N.wav; above 30 → <id>-over.wav
 */
export const NUMBERED_RANGES = { position: 50, minutes: 30 } as const;
export type NumberedPlaceholder = keyof typeof NUMBERED_RANGES;

/** The file to play for prompt `id` with value n (1 or more); values above the range share one. */
export function numberedPromptFile(id: string, placeholder: NumberedPlaceholder, n: number): string {
  const value = Math.max(1, Math.floor(n));
  return value > NUMBERED_RANGES[placeholder] ? `${id}-over.wav` : `${id}-${value}.wav`;
}

/**
 * Prompt ids → what the media server plays. Text prompts are rendered to WAV files ahead of
 * time (espeak-ng, a separate job) as `${dir}/${id}.wav`; position and wait announcements as
 * `${dir}/position-${n}.wav` and `${dir}/wait-${m}.wav`, rendered for 1…maxRendered.
 */
import type { Prompt } from '../../config/schema.js';

export interface PromptCatalog {
  file(promptId: string): string;
  /** "You are number {position}" and, when known, "about {minutes} minutes". */
  announcement(position: number, minutes: number | null): string[];
  /** Music on hold: the registry's `hold` prompt, else FreeSWITCH's local_stream://moh. */
  hold(): string;
}

export const DEFAULT_HOLD = 'local_stream://moh';

export class FilePromptCatalog implements PromptCatalog {
  constructor(
    private readonly prompts: Readonly<Record<string, Prompt>>,
    private readonly dir: string,
    /** Highest number rendered for position / minutes; larger ones are announced as this. */
    private readonly maxRendered = 99,
  ) {}

  file(promptId: string): string {
    const p = this.prompts[promptId];
    if (p !== undefined && 'file' in p) return p.file;
    return `${this.dir}/${promptId}.wav`;
  }

  announcement(position: number, minutes: number | null): string[] {
    const n = (v: number): number => Math.min(Math.max(1, Math.round(v)), this.maxRendered);
    const files = [`${this.dir}/position-${n(position)}.wav`];
    if (minutes !== null) files.push(`${this.dir}/wait-${n(minutes)}.wav`);
    return files;
  }

  hold(): string {
    return this.prompts['hold'] === undefined ? DEFAULT_HOLD : this.file('hold');
  }
}

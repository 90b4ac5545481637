/**
 * Prompt ids → what the media server plays. Text prompts are rendered to WAV files ahead of
 * time by `hotline prompts` as `${dir}/${id}.wav`; position and wait announcements as whole
 * phrases per number — the file names come from the renderer's own lookup, so they cannot drift.
 */
import type { Prompt } from '../../config/schema.js';
import { numberedPromptFile } from '../../core/call/prompt-files.js';

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
  ) {}

  file(promptId: string): string {
    const p = this.prompts[promptId];
    if (p !== undefined && 'file' in p) return p.file;
    return `${this.dir}/${promptId}.wav`;
  }

  announcement(position: number, minutes: number | null): string[] {
    const files = [this.numbered('position', 'position', position)];
    if (minutes !== null) files.push(this.numbered('wait', 'minutes', minutes));
    return files;
  }

  private numbered(id: 'position' | 'wait', placeholder: 'position' | 'minutes', n: number): string {
    const p = this.prompts[id];
    // An operator-recorded file cannot carry the number: play it as it is.
    if (p !== undefined && 'file' in p) return p.file;
    return `${this.dir}/${numberedPromptFile(id, placeholder, Math.round(n))}`;
  }

  hold(): string {
    return this.prompts['hold'] === undefined ? DEFAULT_HOLD : this.file('hold');
  }
}

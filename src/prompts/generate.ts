/**
 * generatePrompts(registry, outDir): every text prompt of the registry as 8 kHz mono WAV files
 * (numbered variants included, see ./variants.ts), plus manifest.json mapping prompt ids to files.
 * `file` prompts are the operator's own audio and are only checked, never touched.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Registry } from '../config/schema.js';
import { speakable } from './mandarin.js';
import { requireTtsTools, speakToWav } from './tts.js';
import { NUMBERED_RANGES, promptVariants, type PromptVariant } from './variants.js';

export interface GeneratePromptsOptions {
  /** Relative `file` prompts are looked up from here (the registry's directory). */
  readonly baseDir?: string;
  /** espeak-ng + sox processes at once. */
  readonly concurrency?: number;
  readonly onFile?: (file: string) => void;
}

export interface GeneratePromptsResult {
  readonly written: readonly string[];
  readonly warnings: readonly string[];
}

export interface PromptManifest {
  readonly numberedRanges: typeof NUMBERED_RANGES;
  readonly prompts: Record<string, { readonly file?: string; readonly files?: readonly string[] }>;
}

/** FreeSWITCH URLs and paths with FreeSWITCH variables can only be checked on the FreeSWITCH host. */
function checkable(file: string): boolean {
  return !/^[a-z_]+:\/\//i.test(file) && !file.includes('${');
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export async function generatePrompts(
  registry: Pick<Registry, 'prompts' | 'hotline' | 'lines'>,
  outDir: string,
  options: GeneratePromptsOptions = {},
): Promise<GeneratePromptsResult> {
  const warnings: string[] = [];
  const jobs: { variant: PromptVariant; voice: string | undefined }[] = [];
  const manifest: PromptManifest = { numberedRanges: NUMBERED_RANGES, prompts: {} };

  for (const [id, prompt] of Object.entries(registry.prompts)) {
    if ('file' in prompt) {
      manifest.prompts[id] = { file: prompt.file };
      const path = isAbsolute(prompt.file) ? prompt.file : resolve(options.baseDir ?? '.', prompt.file);
      if (checkable(prompt.file) && !existsSync(path)) {
        warnings.push(`prompt "${id}": file ${prompt.file} not found here (used as is; it must exist on the FreeSWITCH host)`);
      }
      continue;
    }
    const result = promptVariants(id, prompt.text, registry);
    if (!result.ok) {
      warnings.push(`${result.problem}; not rendered`);
      continue;
    }
    manifest.prompts[id] = { files: result.variants.map((v) => v.file) };
    for (const variant of result.variants) jobs.push({ variant, voice: prompt.voice });
  }

  if (jobs.length > 0) await requireTtsTools();
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  await inParallel(jobs, options.concurrency ?? 2, async ({ variant, voice }) => {
    const path = join(outDir, variant.file);
    await speakToWav(speakable(variant.text), path, voice === undefined ? {} : { voice });
    written.push(path);
    options.onFile?.(path);
  });
  const manifestPath = join(outDir, 'manifest.json');
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  written.sort();
  return { written: [...written, manifestPath], warnings };
}

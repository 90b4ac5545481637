/**
 * The prompts FreeSWITCH plays: rendered by `hotline prompts` (espeak-ng + sox) when espeak-ng
 * is installed; otherwise a short tone per file the router may ask for, made with sox, so the
 * call flow is still exercised (the suites assert which file played, not what it said).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRegistry } from '../../../src/config/load.js';
import { NUMBERED_RANGES, numberedPromptFile } from '../../../src/prompts/variants.js';

function has(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** An 8 kHz mono 16-bit WAV of a quiet sine: hold music and stand-in prompts. */
export function toneWav(path: string, seconds: number, hz: number): void {
  const r = spawnSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', String(seconds), 'sine', String(hz), 'vol', '0.2'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sox failed: ${r.stderr}`);
}

export function renderPrompts(registryPath: string, out: string, hotline: (args: readonly string[]) => string): void {
  if (has('espeak-ng')) {
    hotline(['prompts', registryPath, '--out', out]);
    return;
  }
  mkdirSync(out, { recursive: true });
  const loaded = parseRegistry(readFileSync(registryPath, 'utf8'), registryPath);
  if (!loaded.ok) throw new Error(`registry ${registryPath} does not load`);
  for (const [id, prompt] of Object.entries(loaded.registry.prompts)) {
    if ('file' in prompt) continue;
    toneWav(join(out, `${id}.wav`), 1, 600);
  }
  for (let n = 1; n <= NUMBERED_RANGES.position + 1; n += 1) toneWav(join(out, numberedPromptFile('position', 'position', n)), 1, 600);
  for (let n = 1; n <= NUMBERED_RANGES.minutes + 1; n += 1) toneWav(join(out, numberedPromptFile('wait', 'minutes', n)), 1, 600);
}

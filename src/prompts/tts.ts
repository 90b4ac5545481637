/**
 * Offline Mandarin TTS with Debian's espeak-ng (voice cmn), resampled by sox to what FreeSWITCH
 * plays natively through mod_sndfile without transcoding on a G.711 call: 8 kHz mono 16-bit WAV.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TTS_INSTALL_HINT = 'install them with: apt-get install -y espeak-ng sox';

export class MissingToolError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`${missing.join(' and ')} not found on PATH: ${TTS_INSTALL_HINT}`);
  }
}

async function available(tool: string, args: string[]): Promise<boolean> {
  try {
    await run(tool, args, { timeout: 10_000 });
    return true;
  } catch (error) {
    // Not found is the only failure that means "missing"; a tool that runs but exits non-zero exists.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** Throws MissingToolError naming every missing tool and the apt-get line that installs them. */
export async function requireTtsTools(): Promise<void> {
  const checks = await Promise.all([available('espeak-ng', ['--version']), available('sox', ['--version'])]);
  const missing = (['espeak-ng', 'sox'] as const).filter((_, i) => !checks[i]);
  if (missing.length > 0) throw new MissingToolError(missing);
}

/**
 * Registry voice names → espeak-ng voices. Debian 12's espeak-ng 1.51 `cmn` voice looks each
 * character up in cmn_dict as tone-numbered pinyin ("前" → "qian2") and then reads that pinyin
 * as English ("kai-an two"): `espeak-ng -v cmn -X` shows it. The `cmn-latn-pinyin` variant reads
 * the same pinyin as Mandarin, so "cmn" in the registry means that one.
 */
const ESPEAK_VOICES: Readonly<Record<string, string>> = { cmn: 'cmn-latn-pinyin', zh: 'cmn-latn-pinyin' };

export function espeakVoice(voice: string | undefined): string {
  const name = voice ?? 'cmn';
  return ESPEAK_VOICES[name] ?? name;
}

export interface TtsOptions {
  readonly voice?: string;
  /** espeak-ng words per minute; a little slower than its 175 default suits phone audio. */
  readonly wordsPerMinute?: number;
}

/** Speaks `text` into outFile as 8 kHz mono 16-bit signed PCM WAV. */
export async function speakToWav(text: string, outFile: string, options: TtsOptions = {}): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'hotline-tts-'));
  try {
    const raw = join(dir, 'espeak.wav');
    // Text goes as one argv element: no shell, nothing in it is interpreted.
    await run('espeak-ng', ['-v', espeakVoice(options.voice), '-s', String(options.wordsPerMinute ?? 150), '-w', raw, '--', text], { timeout: 30_000 });
    await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', outFile], { timeout: 30_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePrompts, readWavInfo, speakToWav } from '../../../src/prompts/index.js';
import { runCli } from '../../support/run-cli.js';

function installed(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const haveTts = installed('espeak-ng') && installed('sox');
if (!haveTts) console.log('skipped: espeak-ng not installed (apt-get install -y espeak-ng sox)');

const out = mkdtempSync(join(tmpdir(), 'hotline-prompts-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function expectPhoneAudio(path: string): void {
  const info = readWavInfo(readFileSync(path));
  expect(info).toMatchObject({ format: 1, sampleRate: 8000, channels: 1, bitsPerSample: 16 });
  expect(info.durationSeconds).toBeGreaterThan(0.5);
}

describe.skipIf(!haveTts)('rendering prompts with espeak-ng + sox', () => {
  it('speaks Mandarin into an 8 kHz mono 16-bit WAV longer than 0.5 s', async () => {
    const path = join(out, 'one.wav');
    await speakToWav('您前面还有两位', path);
    expectPhoneAudio(path);
    if (installed('soxi')) expect(execFileSync('soxi', ['-r', path], { encoding: 'utf8' }).trim()).toBe('8000');
  });

  it('renders a registry: numbered phrases, a manifest, file prompts only checked', async () => {
    const dir = join(out, 'reg');
    const result = await generatePrompts({
      hotline: { number: '12345', region: '测试市' } as never,
      lines: [],
      prompts: {
        wait: { text: '预计等待{minutes}分钟' },
        hold: { file: 'local_stream://moh' },
        chime: { file: 'missing/chime.wav' },
      },
    }, dir, { baseDir: out });
    expect(readdirSync(dir).sort()).toEqual([...Array.from({ length: 30 }, (_, i) => `wait-${i + 1}.wav`), 'manifest.json', 'wait-over.wav'].sort());
    expectPhoneAudio(join(dir, 'wait-2.wav'));
    expect(result.warnings).toEqual(['prompt "chime": file missing/chime.wav not found here (used as is; it must exist on the FreeSWITCH host)']);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { prompts: Record<string, unknown> };
    expect(manifest.prompts.hold).toEqual({ file: 'local_stream://moh' });
  });

  it('hotline prompts FILE --out DIR writes every prompt of the registry', { timeout: 130_000 }, () => {
    const dir = join(out, 'cli');
    // About 70 WAVs, two TTS processes each: on a loaded 2-core machine that outlasts the default
    // hang guard (a run under eight parallel helpers was killed at 15 s, status null).
    const r = runCli(['prompts', 'test/fixtures/registry/minimal.yaml', '--out', dir], {}, 120_000);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote \d+ files to /);
    for (const f of ['moved.wav', 'position-1.wav', 'position-over.wav', 'wait-30.wav', 'goodbye.wav']) expect(existsSync(join(dir, f))).toBe(true);
  });
});

describe('hotline prompts without the TTS tools', () => {
  it('fails with a message naming what to install', () => {
    const r = runCli(['prompts', 'test/fixtures/registry/minimal.yaml', '--out', join(out, 'none')], { PATH: '/nonexistent' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('espeak-ng and sox not found on PATH: install them with: apt-get install -y espeak-ng sox');
  });
});

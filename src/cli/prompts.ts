import { dirname } from 'node:path';
import { generatePrompts, MissingToolError, NUMBERED_RANGES } from '../prompts/index.js';
import { parseCommandArgs } from './args.js';
import { EXIT_INVALID, EXIT_OK, type Command } from './command.js';
import { loadOrReport, requireFile } from './registry-arg.js';

export const promptsCommand: Command = {
  name: 'prompts',
  summary: 'render the registry\'s text prompts as 8 kHz WAV files (espeak-ng + sox)',
  help: [
    'usage: hotline prompts FILE [--out DIR]',
    '',
    'Speaks every text prompt of the registry FILE with espeak-ng (voice cmn, or the',
    'prompt\'s own voice) and writes 8 kHz mono 16-bit WAV files FreeSWITCH plays natively,',
    'plus DIR/manifest.json. Prompts with numbers are rendered as whole phrases, one file',
    `per value: {position} 1..${NUMBERED_RANGES.position}, {minutes} 1..${NUMBERED_RANGES.minutes} (<id>-N.wav), larger values`,
    'share <id>-over.wav ("50多位"); {line}/{name} one file per number (<id>-<number>.wav).',
    '`file` prompts are used as they are (a warning if the file is missing here).',
    '  --out DIR   where to write (default prompts); copy to $${sounds_dir}/hotline',
    '              on the FreeSWITCH host (see `hotline dialplan --prompts-dir`)',
    '',
    'needs: apt-get install -y espeak-ng sox',
    'exit status: 0 written, 1 invalid registry or missing tools, 2 usage error',
    '',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string' } });
    const file = requireFile(positionals, 'hotline prompts FILE');
    const registry = await loadOrReport(file, io);
    if (!registry) return EXIT_INVALID;
    const out = values.out ?? 'prompts';
    try {
      const result = await generatePrompts(registry, out, { baseDir: dirname(file) });
      for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
      io.stdout(`wrote ${result.written.length} files to ${out}/ (8000 Hz mono 16-bit WAV and manifest.json)\n`);
      return EXIT_OK;
    } catch (error) {
      if (error instanceof MissingToolError) {
        io.stderr(`hotline prompts: ${error.message}\n`);
        return EXIT_INVALID;
      }
      throw error;
    }
  },
};
